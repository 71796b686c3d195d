import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ValidationCheckDto {
  @ApiProperty({ example: 'rut_receptor' }) rule: string;
  @ApiProperty({ example: true }) passed: boolean;
  @ApiProperty({ example: 'ok', enum: ['ok', 'warning', 'error', 'skipped'] }) severity: string;
  @ApiProperty({ example: 'El RUT del receptor (rut_receptor) tiene formato y dígito verificador válidos.' })
  message: string;
}

export class ValidationFindingDto {
  @ApiProperty({ example: 'rut_receptor' }) rule: string;
  @ApiProperty({ example: 'rut_receptor', description: 'Campo de dte_data afectado' }) field: string;
  @ApiProperty({ example: 'error', enum: ['error', 'warning'] }) severity: string;
  @ApiProperty({
    example:
      'El RUT del receptor (rut_receptor) "96790240-4" tiene dígito verificador incorrecto: el correcto es 96.790.240-3.',
  })
  message: string;
}

export class ValidateResponseDto {
  @ApiProperty({ example: 100, description: 'Confianza (0–100) en que el SII acepte el documento' }) confidence: number;
  @ApiProperty({ example: [], type: [String], description: 'Errores (Odoo: issues); cualquiera implica reject' })
  errors: string[];
  @ApiProperty({ example: [], type: [String], description: 'Advertencias (Odoo: suggestions)' }) warnings: string[];
  @ApiProperty({ example: 'send', enum: ['send', 'review', 'reject'] }) recommendation: string;
  @ApiProperty({ type: [ValidationCheckDto] }) checks: ValidationCheckDto[];
  @ApiProperty({ example: 'anthropic', enum: ['anthropic', 'openai', 'offline'] }) llm_used: string;
  @ApiProperty({
    example: 'ok',
    enum: ['ok', 'offline', 'invalid_answer', 'failed', 'rate_limited', 'timeout'],
    description:
      'Resultado de la revisión del modelo; rate_limited (sobre VALIDATION_RATE_LIMIT_PER_MINUTE) y timeout (pasado VALIDATION_LLM_TIMEOUT_MS o VALIDATION_DEADLINE_MS) dejan el veredicto de las reglas',
  })
  llm_review: string;
  @ApiProperty({ type: [ValidationFindingDto], description: 'Errores y advertencias con el campo afectado' })
  findings: ValidationFindingDto[];
  @ApiPropertyOptional({ example: 'Documento coherente con el historial de la empresa.' }) notes?: string;
  @ApiProperty({ example: false, description: 'Respuesta servida desde la caché' }) cached: boolean;
  @ApiProperty({ example: 0.0021, description: 'Costo en USD de esta respuesta (0 si vino de la caché)' })
  cost_usd: number;
  @ApiProperty({ example: '2026-12.1' }) rules_version: string;
}
