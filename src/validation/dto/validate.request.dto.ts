import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsDefined, IsInt, IsObject, IsOptional, Min } from 'class-validator';
import { FACTURA_33_EXAMPLE } from './validation.examples';

const MAX_HISTORY_ITEMS = 100;

/** Union types as Odoo sends them, declared so generated clients accept both forms. */
const STRING_OR_INTEGER = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
const INTEGER_OR_STRING = { oneOf: [{ type: 'integer' }, { type: 'string' }] };
/** Odoo sends amounts as floats (100000.0); numeric strings are accepted too, but clients send numbers. */
const AMOUNT = { type: 'number' } as const;

/** A reference to the document a note modifies (SII `Referencia`). Documentation only. */
export class DteReferenceDto {
  @ApiProperty({ ...STRING_OR_INTEGER, example: 33, description: 'Tipo del documento referenciado (TpoDocRef)' })
  tipo_doc_ref: number | string;
  @ApiProperty({ ...INTEGER_OR_STRING, example: 12345, description: 'Folio del documento referenciado' })
  folio_ref: number | string;
  @ApiProperty({ example: '2026-03-10', description: 'Fecha del documento referenciado (AAAA-MM-DD)' })
  fecha_ref: string;
  @ApiProperty({
    oneOf: [
      { type: 'integer', enum: [1, 2, 3] },
      { type: 'string', enum: ['1', '2', '3'] },
    ],
    example: 3,
    description: '1 anula, 2 corrige texto, 3 corrige montos',
  })
  codigo_ref: number | string;
  @ApiProperty({ example: 'Descuento por volumen no aplicado', description: 'Razón de la referencia' })
  razon_ref: string;
}

/**
 * The fields the rules read. Documentation only: `dte_data` is validated as an open object and every
 * other key Odoo sends is kept. Problems inside it are reported in the verdict (200 + reject), never as 400.
 */
class DteDataDto {
  @ApiProperty({
    ...STRING_OR_INTEGER,
    example: '33',
    description: 'Tipo de DTE (texto o número): 33, 34, 39, 41, 43, 46, 52, 56, 61, 110, 111, 112. Alias: `tipo`.',
  })
  tipo_dte: string | number;
  @ApiProperty({ ...INTEGER_OR_STRING, example: 12345, description: 'Folio: entero positivo' })
  folio: number | string;
  @ApiProperty({ example: '2026-03-10', description: 'Fecha de emisión: AAAA-MM-DD o ISO 8601' }) fecha_emision: string;
  @ApiProperty({ example: '76.086.428-5', description: 'RUT del emisor, con o sin puntos y guion' }) rut_emisor: string;
  @ApiPropertyOptional({ example: 'Comercial Los Andes SpA' }) razon_social_emisor?: string;
  @ApiProperty({ example: '96.790.240-3', description: 'RUT del receptor (opcional en boletas)' }) rut_receptor: string;
  @ApiPropertyOptional({
    ...AMOUNT,
    example: 100000,
    description: 'Monto neto en pesos (entero; 100000.0 y "100000" se aceptan)',
  })
  monto_neto?: number | string;
  @ApiPropertyOptional({ ...AMOUNT, example: 19000, description: 'IVA (19% del neto, ±1 peso). Alias: `iva`.' })
  monto_iva?: number | string;
  @ApiPropertyOptional({ ...AMOUNT, example: 0, description: 'Monto exento' }) monto_exento?: number | string;
  @ApiPropertyOptional({ ...AMOUNT, example: 0, description: 'Otros impuestos que se suman al total' })
  monto_otros_impuestos?: number | string;
  @ApiPropertyOptional({
    oneOf: [{ type: 'number' }, { type: 'array', items: { type: 'object', additionalProperties: true } }],
    example: [{ codigo: 27, tasa: 10, monto: 5000 }],
    description: 'Impuestos adicionales: un monto o lista de {codigo, tasa, monto}; se suman al total',
  })
  impuestos_adicionales?: unknown;
  @ApiPropertyOptional({
    ...AMOUNT,
    example: 0,
    description: 'IVA retenido por el receptor (p. ej. factura de compra 46); se resta del total',
  })
  iva_retenido?: number | string;
  @ApiProperty({
    ...AMOUNT,
    example: 119000,
    description: 'Monto total (obligatorio) = neto + IVA + exento + otros impuestos − IVA retenido',
  })
  monto_total: number | string;
  @ApiPropertyOptional({
    type: [DteReferenceDto],
    description: 'Obligatorio en notas de crédito y débito (56, 61, 111, 112)',
  })
  referencias?: DteReferenceDto[];
  @ApiPropertyOptional({
    example: [{ nombre: 'Servicio', cantidad: 1, monto_item: 100000 }],
    description: 'Detalle; su suma se compara con neto + exento (con el total en boletas)',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
  })
  items?: Record<string, unknown>[];
}

/**
 * Odoo's older `AIApiClient` posts the DTE itself as the body (no envelope), with `tipo` for
 * `tipo_dte` and `iva` for `monto_iva`. Documentation only, like DteDataDto. Its schema stays closed
 * and keeps the DTE's required fields (the service reads other keys too), so that a generated
 * client cannot take an envelope for a bare DTE and let a wrong `dte_data` through.
 */
export class BareDteBodyDto extends OmitType(DteDataDto, ['tipo_dte', 'monto_iva'] as const) {
  @ApiPropertyOptional({ ...STRING_OR_INTEGER, example: 33, description: 'Tipo de DTE (`tipo_dte`)' })
  tipo?: number | string;
  @ApiPropertyOptional({ ...STRING_OR_INTEGER, example: 33, description: 'Tipo de DTE, si no viene `tipo`' })
  tipo_dte?: number | string;
  @ApiPropertyOptional({ ...AMOUNT, example: 9500, description: 'IVA (`monto_iva`)' })
  iva?: number | string;
  @ApiPropertyOptional({ ...AMOUNT, example: 9500, description: 'IVA, si no viene `iva`' })
  monto_iva?: number | string;
}

/** The envelope Odoo's DTE client sends. Only a malformed envelope is a 400. */
export class ValidateRequestDto {
  @ApiProperty({
    type: DteDataDto,
    example: FACTURA_33_EXAMPLE.dte_data,
    description: 'El DTE (objeto abierto: se conservan todas las claves)',
  })
  // class-validator runs a property's constraints bottom-up: presence first, then type, then range.
  @IsObject()
  @IsDefined()
  dte_data: Record<string, unknown>;

  @ApiProperty({
    example: 1,
    minimum: 1,
    description:
      'ID de la compañía en Odoo (entero positivo); opcional solo en el cuerpo sin sobre del cliente antiguo',
  })
  @Min(1)
  @IsInt()
  @IsDefined()
  company_id: number;

  @ApiPropertyOptional({
    example: [{ folio: 870, tipo_dte: 61, motivo: 'Referencia a folio inexistente', fecha: '2026-02-02' }],
    description: `Rechazos anteriores de la compañía (a lo más ${MAX_HISTORY_ITEMS}; al modelo llegan los 20 más recientes)`,
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    maxItems: MAX_HISTORY_ITEMS,
  })
  @ArrayMaxSize(MAX_HISTORY_ITEMS)
  @IsArray()
  @IsOptional()
  history?: unknown[];

  @ApiPropertyOptional({
    example: 'reception',
    description: 'Odoo lo envía como "reception" al revisar un DTE recibido; se acepta y no cambia las reglas',
  })
  mode?: string;
}
