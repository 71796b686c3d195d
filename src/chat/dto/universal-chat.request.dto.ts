import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SESSION_ID_PATTERN } from '../session/session-id';
import { MESSAGE_MAX_LENGTH } from './chat-message.request.dto';
import { WIZARD_EXAMPLE } from './examples';
import { OdooEmptyAsAbsent } from './odoo-empty.transform';

/** Body of Odoo's universal chat wizard (`ai.chat.universal.wizard`). */
export class UniversalChatRequestDto {
  @ApiProperty({
    description: 'The user question, 1–4000 characters.',
    example: WIZARD_EXAMPLE.message,
    minLength: 1,
    maxLength: MESSAGE_MAX_LENGTH,
  })
  @IsNotEmpty()
  @IsString()
  @MaxLength(MESSAGE_MAX_LENGTH)
  @Matches(/\S/)
  message!: string;

  @ApiPropertyOptional({
    description:
      "The caller's own id (`chat_{user}_{8 hex}`) or a service UUID; an unknown one starts a session under that id.",
    example: WIZARD_EXAMPLE.session_id,
    pattern: SESSION_ID_PATTERN.source,
  })
  @OdooEmptyAsAbsent()
  @IsOptional()
  @IsString()
  @Matches(SESSION_ID_PATTERN)
  session_id?: string;

  @ApiPropertyOptional({
    description:
      'Open object: {user, odoo {active_model, active_id, active_record_name}, session_id, active_record_data, module}. Extra keys are kept.',
    example: WIZARD_EXAMPLE.context,
    type: 'object',
    additionalProperties: true,
  })
  @OdooEmptyAsAbsent()
  @IsOptional()
  @IsObject()
  context?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'Accepted for the wizard; the answer is JSON unless the request accepts only text/event-stream.',
    example: false,
  })
  @OdooEmptyAsAbsent()
  @IsOptional()
  @IsBoolean()
  stream?: boolean;
}
