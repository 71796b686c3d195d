import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SiiNewsItemDto {
  @ApiProperty({ example: '3f1c2a9b0d4e5f60' }) id!: string;
  @ApiProperty({ example: 'Circular N° 52 del 17 de Noviembre del 2025' }) title!: string;
  @ApiProperty({
    type: String,
    example: 'https://www.sii.cl/normativa_legislacion/circulares/2025/circu52.pdf',
    nullable: true,
  })
  link!: string | null;
  @ApiProperty({
    type: String,
    example: '2025-11-17',
    nullable: true,
    description: 'Publication date when the page shows one',
  })
  date!: string | null;
  @ApiProperty({ example: 'https://www.sii.cl/normativa_legislacion/circulares/2025/indcir2025.htm' })
  source_url!: string;
  @ApiProperty({ example: 'Imparte instrucciones sobre la obligación de emitir boleta electrónica…' }) excerpt!: string;
  @ApiProperty({ example: 'Desde enero toda venta pagada con medios electrónicos exige boleta electrónica.' })
  summary!: string;
  @ApiProperty({ example: ['emisores de boletas electrónicas', 'comercio minorista'], type: [String] })
  affected!: string[];
  @ApiProperty({
    enum: ['low', 'medium', 'high', 'unknown'],
    example: 'high',
    description: '`unknown` when there was no AI analysis',
  })
  urgency!: string;
  @ApiProperty({ example: 'Verifique que el punto de venta de Odoo emita boleta electrónica para pagos con tarjeta.' })
  action!: string;
  @ApiProperty({ enum: ['llm', 'offline', 'llm_error', 'llm_malformed'], example: 'llm' }) analysis!: string;
  @ApiPropertyOptional({ example: 'No hay un modelo de IA disponible; la publicación se registró sin análisis.' })
  note?: string;
  @ApiProperty({ enum: ['anthropic', 'openai', 'offline'], example: 'anthropic' }) llm_used!: string;
  @ApiProperty({ example: 0.0042 }) cost_usd!: number;
  @ApiProperty({ example: '2026-11-24T12:00:00.000Z' }) detected_at!: string;
}

export class SiiPageReportDto {
  @ApiProperty({ example: 'https://www.sii.cl/noticias/2025/index.htm' }) url!: string;
  @ApiProperty({ example: true }) ok!: boolean;
  @ApiProperty({ example: 24 }) items_found!: number;
  @ApiProperty({ example: 2 }) new_items!: number;
  @ApiPropertyOptional({ example: 'No se pudo leer la página: el servidor rechazó la conexión (ECONNREFUSED).' })
  error?: string;
}

export class SiiMonitorResponseDto {
  @ApiProperty({ example: '2026-11-24T12:00:00.000Z' }) run_at!: string;
  @ApiProperty({ enum: ['api', 'schedule'], example: 'api' }) trigger!: string;
  @ApiProperty({
    type: [SiiPageReportDto],
    description: 'One entry per page; a page that failed is reported here, never fatal',
  })
  pages!: SiiPageReportDto[];
  @ApiProperty({ type: [SiiNewsItemDto], description: 'Items not seen in earlier runs, analysed' })
  new_items!: SiiNewsItemDto[];
  @ApiProperty({ example: 0, description: 'New items beyond the per-run analysis cap, left for the next run' })
  deferred_items!: number;
  @ApiProperty({
    enum: ['anthropic', 'openai', 'offline', 'none'],
    example: 'anthropic',
    description: '`none` when nothing new needed analysis',
  })
  llm_used!: string;
  @ApiProperty({ example: 0.0084 }) cost_usd!: number;
  @ApiProperty({ example: 1830 }) duration_ms!: number;
}

export class SiiLastRunDto {
  @ApiProperty({ example: '2026-11-24T12:00:00.000Z' }) run_at!: string;
  @ApiProperty({ example: 'schedule' }) trigger!: string;
  @ApiProperty({ type: [SiiPageReportDto] }) pages!: SiiPageReportDto[];
  @ApiProperty({ example: ['3f1c2a9b0d4e5f60'], type: [String] }) new_item_ids!: string[];
  @ApiProperty({ example: 0 }) deferred_items!: number;
  @ApiProperty({ example: 'anthropic' }) llm_used!: string;
  @ApiProperty({ example: 0.0084 }) cost_usd!: number;
  @ApiProperty({ example: 1830 }) duration_ms!: number;
}

export class SiiStatusResponseDto {
  @ApiProperty({ type: SiiLastRunDto, nullable: true, description: 'null before the first run' })
  last_run!: SiiLastRunDto | null;
  @ApiProperty({ example: 57, description: 'Items kept (the index holds the latest 500)' }) items_total!: number;
  @ApiProperty({
    example: { high: 1, medium: 3, low: 15, unknown: 1 },
    description: 'Urgency counts among the returned items',
  })
  by_urgency!: Record<string, number>;
  @ApiProperty({ type: [SiiNewsItemDto], description: 'Latest items first' }) items!: SiiNewsItemDto[];
}
