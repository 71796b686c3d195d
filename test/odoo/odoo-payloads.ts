import { chileDay } from '../../src/common/chile-time';
import { f } from './python-wire';

/** A Chilean calendar date N days ago (DTE dates are Chilean calendar dates). */
export function chileDaysAgo(days: number): string {
  return chileDay(new Date(Date.now() - days * 86_400_000));
}

let folio = 4000 + Math.floor(Math.random() * 500_000);
/** A new folio per document, so no test is answered from another's cached verdict. */
const nextFolio = () => ++folio;

const RUT_EMISOR = '76.086.428-5';
const RUT_RECEPTOR = '96.790.240-3';
/** Same number as RUT_EMISOR with the wrong modulo-11 check digit. */
export const RUT_EMISOR_BAD_DV = '76.086.428-4';

/**
 * A factura 33 as the addon builds `dte_data`: `tipo_dte` as a string, floats for every amount
 * (119000.0 on the wire), Odoo's `False` for empty char fields, and keys of its own next to the
 * contract's (giro, dirección, comuna, moneda, move id, lines).
 */
export function odooDteData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    tipo_dte: '33',
    folio: nextFolio(),
    fecha_emision: chileDaysAgo(1),
    fecha_vencimiento: chileDaysAgo(-29),
    rut_emisor: RUT_EMISOR,
    razon_social_emisor: 'Comercial Los Andes SpA',
    giro_emisor: 'Venta al por mayor de artículos de ferretería',
    direccion_emisor: 'Av. Providencia 1234, Of. 501',
    comuna_emisor: 'Providencia',
    acteco: 465000,
    rut_receptor: RUT_RECEPTOR,
    razon_social_receptor: 'Distribuidora Pacífico Ltda.',
    giro_receptor: 'Distribución de alimentos',
    direccion_receptor: false,
    comuna_receptor: 'Santiago',
    email_receptor: false,
    forma_pago: '2',
    moneda: 'CLP',
    monto_neto: f(100000),
    monto_exento: f(0),
    tasa_iva: f(19),
    monto_iva: f(19000),
    monto_total: f(119000),
    items: [
      {
        nro_linea: 1,
        nombre_item: 'Taladro percutor 800W',
        cantidad: f(2),
        unidad: 'UN',
        precio_unitario: f(35000),
        descuento_pct: f(0),
        monto_item: f(70000),
      },
      {
        nro_linea: 2,
        nombre_item: 'Juego de brocas HSS (13 piezas)',
        cantidad: f(3),
        unidad: 'UN',
        precio_unitario: f(10000),
        descuento_pct: f(0),
        monto_item: f(30000),
      },
    ],
    referencias: [],
    observaciones: false,
    move_id: 512,
    company_id: 1,
    ...overrides,
  };
}

/** A nota de crédito 61 that annuls a factura (codigo_ref 1), with its reference. */
export function odooCreditNote(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return odooDteData({
    tipo_dte: '61',
    referencias: [
      {
        tipo_doc_ref: '33',
        folio_ref: 4312,
        fecha_ref: chileDaysAgo(10),
        codigo_ref: '1',
        razon_ref: 'Anula factura por devolución total',
      },
    ],
    ...overrides,
  });
}

/** `_build_user_context` extras the chat model merges in on an invoice (dte_type, dte_status). */
export const INVOICE_USER_CONTEXT = { dte_type: '33', dte_status: 'draft' };

/** A user message with non-ASCII characters (sent as \u escapes by Python's json.dumps). */
export const QUESTION_DTE33 = '¿Cómo genero una factura electrónica DTE 33 y qué hago si el SII la rechaza?';
export const QUESTION_RECORD = '¿Qué tipo de documento es este y cuál es su total?';
