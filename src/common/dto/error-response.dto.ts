import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '../domain-error';

/** The one error body of every endpoint (written by AllExceptionsFilter and the edge handlers). */
export class ErrorResponseDto {
  @ApiProperty({ example: 404, minimum: 400, maximum: 599, description: 'HTTP status, repeated in the body' })
  statusCode!: number;

  @ApiProperty({ example: 'Not Found', description: 'HTTP reason phrase' })
  error!: string;

  @ApiProperty({
    example: 'La conversación no existe o expiró por inactividad. Abra una nueva conversación para continuar.',
    description: 'Technical message (for a validation error, every problem found, in English)',
  })
  message!: string;

  @ApiProperty({
    example: 'La conversación no existe o expiró por inactividad. Abra una nueva conversación para continuar.',
    description: 'One Spanish sentence for the end user: Odoo shows exactly this field',
  })
  detail!: string;

  @ApiPropertyOptional({ enum: ErrorCode, enumName: 'ErrorCode', example: ErrorCode.SESSION_NOT_FOUND })
  code?: ErrorCode;

  @ApiPropertyOptional({ example: 'message', description: 'The request field at fault (validation errors)' })
  field?: string;
}
