import { ApiProperty } from '@nestjs/swagger';
import { ANSWER_EXAMPLE, NEW_SESSION_EXAMPLE } from './examples';

export class TokensUsedDto {
  @ApiProperty({ example: 1234 }) input_tokens!: number;
  @ApiProperty({ example: 567 }) output_tokens!: number;
  @ApiProperty({ example: 1801 }) total_tokens!: number;
}

export class SourceReferenceDto {
  @ApiProperty({ example: ANSWER_EXAMPLE.references[0].title }) title!: string;
  @ApiProperty({
    example: ANSWER_EXAMPLE.references[0].sources,
    description: 'Laws, SII resolutions/circulars and official pages the document rests on',
  })
  sources!: string[];
  @ApiProperty({
    example: ANSWER_EXAMPLE.references[0].reviewed,
    nullable: true,
    type: String,
    description: 'Day (YYYY-MM-DD) the document was last checked against its sources',
  })
  reviewed!: string | null;
}

export class ChatAnswerDto {
  @ApiProperty({ example: ANSWER_EXAMPLE.message }) message!: string;
  @ApiProperty({ example: ANSWER_EXAMPLE.sources, description: 'Titles of the documents given to the model' })
  sources!: string[];
  @ApiProperty({
    type: [SourceReferenceDto],
    description: 'The documents in `sources`, in the same order, with the legal sources behind each one',
  })
  references!: SourceReferenceDto[];
  @ApiProperty({ example: ANSWER_EXAMPLE.confidence, minimum: 0, maximum: 100 }) confidence!: number;
  @ApiProperty({ example: ANSWER_EXAMPLE.session_id }) session_id!: string;
  @ApiProperty({ example: 'anthropic', enum: ['anthropic', 'openai', 'offline'] }) llm_used!: string;
  @ApiProperty({ type: TokensUsedDto }) tokens_used!: TokensUsedDto;
  @ApiProperty({
    example: 'l10n_cl_dte',
    description: 'Plugin that answered (l10n_cl_dte, hr_payroll, account, stock, default)',
  })
  plugin!: string;
  @ApiProperty({ example: ANSWER_EXAMPLE.cost_usd }) cost_usd!: number;
}

export class NewSessionResponseDto {
  @ApiProperty({ example: '3f1c2a9e-8b7d-4c6e-9a51-2d0f7b4e6c13' }) session_id!: string;
  @ApiProperty({ example: '¡Hola! Soy tu asistente especializado en facturación electrónica chilena de Test Company…' })
  welcome_message!: string;
}

export class ChatMessageViewDto {
  @ApiProperty({ example: 'user', enum: ['user', 'assistant'] }) role!: string;
  @ApiProperty({ example: '¿Cómo genero un DTE 33?' }) content!: string;
  @ApiProperty({ example: '2025-10-22T18:30:00.000Z' }) timestamp!: string;
}

export class SessionStatsDto {
  @ApiProperty({ example: 2 }) message_count!: number;
  @ApiProperty({ example: '2025-10-22T18:29:40.000Z' }) created_at!: string;
  @ApiProperty({ example: '2025-10-22T18:30:00.000Z' }) last_activity!: string;
}

export class SessionViewDto {
  @ApiProperty({ example: '3f1c2a9e-8b7d-4c6e-9a51-2d0f7b4e6c13' }) session_id!: string;
  @ApiProperty({ example: NEW_SESSION_EXAMPLE.user_context, type: 'object', additionalProperties: true })
  user_context!: Record<string, unknown>;
  @ApiProperty({ type: [ChatMessageViewDto] }) messages!: ChatMessageViewDto[];
  @ApiProperty({ type: SessionStatsDto }) stats!: SessionStatsDto;
  @ApiProperty({ example: 3594, description: 'Seconds until the session expires without activity' })
  ttl_seconds!: number;
}

export class SessionDeletedDto {
  @ApiProperty({ example: '3f1c2a9e-8b7d-4c6e-9a51-2d0f7b4e6c13' }) session_id!: string;
  @ApiProperty({ example: true }) deleted!: boolean;
}
