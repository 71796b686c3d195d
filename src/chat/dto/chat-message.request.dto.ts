import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SESSION_ID_PATTERN } from '../session/session-id';
import { MESSAGE_EXAMPLE } from './examples';
import { OdooEmptyAsAbsent } from './odoo-empty.transform';

export const MESSAGE_MAX_LENGTH = 4000;

export class ChatMessageRequestDto {
  @ApiPropertyOptional({
    description:
      'Session to continue (from /api/chat/session/new). Absent: a new session is started. 1–128 of [A-Za-z0-9_-].',
    example: MESSAGE_EXAMPLE.session_id,
    pattern: SESSION_ID_PATTERN.source,
  })
  @OdooEmptyAsAbsent()
  @IsOptional()
  @IsString()
  @Matches(SESSION_ID_PATTERN)
  session_id?: string;

  @ApiProperty({
    description: 'The user question, 1–4000 characters.',
    example: MESSAGE_EXAMPLE.message,
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
      'Open object merged into the session context (company, role, module, current record…); extra keys are kept.',
    example: MESSAGE_EXAMPLE.user_context,
    type: 'object',
    additionalProperties: true,
  })
  @OdooEmptyAsAbsent()
  @IsOptional()
  @IsObject()
  user_context?: Record<string, unknown>;
}
