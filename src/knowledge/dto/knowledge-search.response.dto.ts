import { ApiProperty } from '@nestjs/swagger';

export class KnowledgeHitDto {
  @ApiProperty({ example: 'dte-61-nota-credito' })
  id: string;

  @ApiProperty({ example: 'Nota de crédito electrónica (DTE 61): cuándo y cómo emitirla' })
  title: string;

  @ApiProperty({
    description:
      'Texto Markdown para el prompt: el documento completo si mide hasta ~2000 caracteres; si no, su párrafo inicial y las secciones que mejor coinciden con la consulta, en el orden del documento',
    example:
      'La nota de crédito electrónica (tipo 61) rebaja o anula una factura ya emitida…\n\n## Paso a paso en Odoo\n1. Abra la factura…',
  })
  content: string;

  @ApiProperty({ example: ['nota-de-credito', 'nc', '61', 'anulacion'] })
  tags: string[];

  @ApiProperty({ example: 'l10n_cl_dte' })
  module: string;

  @ApiProperty({
    description: 'Leyes, resoluciones, circulares o páginas oficiales en que se basa el documento',
    example: ['DL 825 (Ley sobre Impuesto a las Ventas y Servicios), art. 57', 'Resolución Exenta SII N° 45, de 2003'],
  })
  sources: string[];

  @ApiProperty({ description: 'Día de la última revisión contra esas fuentes (YYYY-MM-DD)', example: '2026-12-06' })
  reviewed: string;

  @ApiProperty({
    description: 'Puntaje BM25 del motor (mayor es mejor; comparable solo dentro de una consulta)',
    example: 42.137,
  })
  score: number;
}

export class KnowledgeSearchResponseDto {
  @ApiProperty({ example: 'como emito una nota de credito' })
  query: string;

  @ApiProperty({ type: [KnowledgeHitDto] })
  results: KnowledgeHitDto[];
}

export class SkippedDocumentDto {
  @ApiProperty({ example: 'dte-99-borrador.md' })
  file: string;

  @ApiProperty({ example: 'tags' })
  field: string;

  @ApiProperty({ example: 'must be a YAML list, e.g. [factura, iva]' })
  reason: string;
}

export class KnowledgeReloadResponseDto {
  @ApiProperty({ example: true })
  loaded: boolean;

  @ApiProperty({ example: 32 })
  documents_count: number;

  @ApiProperty({ example: 180 })
  total_tags: number;

  @ApiProperty({ example: 0, description: 'Documentos cuya última revisión tiene más de 12 meses' })
  not_reviewed_last_12_months: number;

  @ApiProperty({ example: [], description: 'Ids de esos documentos, la revisión más antigua primero' })
  stale_documents: string[];

  @ApiProperty({ type: [SkippedDocumentDto] })
  skipped: SkippedDocumentDto[];

  @ApiProperty({ example: 41.5 })
  duration_ms: number;
}
