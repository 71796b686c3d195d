import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_TOP_K, MAX_TOP_K } from '../search/knowledge-index';

/** The Odoo modules the chat wizard names in `context.module` (contract), usable as a filter. */
const KNOWLEDGE_MODULES = [
  'l10n_cl_dte',
  'account',
  'purchase',
  'sale',
  'stock',
  'hr_payroll',
  'project',
  'general',
] as const;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * Query string of GET /api/chat/knowledge/search. Unknown parameters are refused (400 naming
 * them), like every other endpoint: Odoo only sends `query` and `top_k`, and a typo such as
 * `topk=10` is better reported than silently answered with the default 3.
 */
export class KnowledgeSearchQueryDto {
  @ApiProperty({
    description: 'Pregunta o palabras clave (1–500 caracteres)',
    example: 'como emito una nota de credito',
    minLength: 1,
    maxLength: 500,
  })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  query: string;

  @ApiPropertyOptional({
    description: 'Cantidad de documentos (1–20)',
    example: 3,
    default: DEFAULT_TOP_K,
    minimum: 1,
    maximum: MAX_TOP_K,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_TOP_K)
  top_k?: number;

  // No example: Swagger UI would pre-fill it and silently narrow every "Try it out" search.
  @ApiPropertyOptional({ description: 'Filtra por módulo de Odoo; `general` busca en todos', enum: KNOWLEDGE_MODULES })
  @IsOptional()
  @IsString()
  @IsIn(KNOWLEDGE_MODULES)
  module?: string;
}
