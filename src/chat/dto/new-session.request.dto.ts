import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';
import { NEW_SESSION_EXAMPLE } from './examples';
import { OdooEmptyAsAbsent } from './odoo-empty.transform';

export class NewSessionRequestDto {
  @ApiPropertyOptional({
    description:
      'Open object: company_name, company_rut, user_name, user_email, user_role, environment, language, module, and any key Odoo adds (kept).',
    example: NEW_SESSION_EXAMPLE.user_context,
    type: 'object',
    additionalProperties: true,
  })
  @OdooEmptyAsAbsent()
  @IsOptional()
  @IsObject()
  user_context?: Record<string, unknown>;
}
