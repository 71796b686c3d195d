import { constantTable } from '../../common/lookup-table';

/**
 * Which fields of an Odoo record matter to a user's question, in the order they are shown. The
 * tables are looked up with values Odoo sends, so they have no prototype (lookup-table.ts).
 */

export interface FieldRule {
  label: string;
  keys: string[];
  kind?: 'amount' | 'state' | 'date' | 'text';
}

export const MOVE_TYPES: Readonly<Record<string, string>> = constantTable({
  out_invoice: 'Factura de cliente',
  out_refund: 'Nota de crédito de cliente',
  in_invoice: 'Factura de proveedor',
  in_refund: 'Nota de crédito de proveedor',
  out_receipt: 'Recibo de venta',
  in_receipt: 'Recibo de compra',
  entry: 'Asiento contable',
});

export const STATES: Readonly<Record<string, string>> = constantTable({
  draft: 'Borrador',
  posted: 'Publicado',
  cancel: 'Cancelado',
  sent: 'Enviado',
  sale: 'Orden de venta confirmada',
  purchase: 'Orden de compra confirmada',
  done: 'Hecho',
  confirmed: 'Confirmado',
  assigned: 'Listo',
  waiting: 'En espera',
  verify: 'En revisión',
  paid: 'Pagado',
  not_paid: 'No pagado',
  partial: 'Pagado parcialmente',
  in_payment: 'En proceso de pago',
  reversed: 'Revertido',
  accepted: 'Aceptado',
  rejected: 'Rechazado',
});

export const MODEL_LABELS: Readonly<Record<string, string>> = constantTable({
  'account.move': 'Documento contable (factura, nota o asiento)',
  'account.payment': 'Pago',
  'sale.order': 'Pedido de venta',
  'purchase.order': 'Orden de compra',
  'stock.picking': 'Transferencia de inventario (guía o recepción)',
  'hr.payslip': 'Liquidación de sueldo',
  'hr.employee': 'Empleado',
  'hr.contract': 'Contrato laboral',
  'res.partner': 'Contacto',
  'project.task': 'Tarea de proyecto',
  'project.project': 'Proyecto',
});

/** Keys that may carry the SII document type, as a code or a many2one whose name holds it. */
export const DOCUMENT_TYPE_KEYS = [
  'l10n_latam_document_type_id',
  'l10n_latam_document_type_code',
  'document_type_code',
  'dte_type',
  'dte_code',
  'tipo_dte',
  'tipo',
  'l10n_cl_dte_type',
  'document_type',
  'document_type_id',
];

/** Shown first, each at most once, in this order. */
export const FIELD_RULES: FieldRule[] = [
  { label: 'Tipo de movimiento', keys: ['move_type'] },
  { label: 'Número', keys: ['name', 'display_name'] },
  { label: 'Folio', keys: ['folio', 'l10n_cl_folio', 'dte_folio', 'l10n_latam_document_number', 'l10n_cl_dte_folio'] },
  {
    label: 'Cliente/Proveedor',
    keys: ['partner_id', 'commercial_partner_id', 'razon_social_receptor', 'razon_social'],
  },
  { label: 'RUT', keys: ['partner_vat', 'rut_receptor', 'vat', 'rut'] },
  { label: 'Empleado', keys: ['employee_id'] },
  { label: 'Monto neto', keys: ['amount_untaxed', 'monto_neto'], kind: 'amount' },
  { label: 'IVA', keys: ['amount_tax', 'monto_iva', 'iva'], kind: 'amount' },
  { label: 'Monto exento', keys: ['monto_exento', 'amount_exempt'], kind: 'amount' },
  { label: 'Total', keys: ['amount_total', 'monto_total'], kind: 'amount' },
  { label: 'Saldo pendiente', keys: ['amount_residual'], kind: 'amount' },
  { label: 'Sueldo líquido', keys: ['net_wage'], kind: 'amount' },
  { label: 'Sueldo base', keys: ['basic_wage', 'wage'], kind: 'amount' },
  { label: 'Moneda', keys: ['currency_id'] },
  { label: 'Estado', keys: ['state'], kind: 'state' },
  { label: 'Estado de pago', keys: ['payment_state'], kind: 'state' },
  {
    label: 'Estado SII',
    keys: ['l10n_cl_dte_status', 'dte_status', 'l10n_cl_sii_status', 'estado_sii', 'sii_status'],
    kind: 'state',
  },
  { label: 'Fecha de emisión', keys: ['invoice_date', 'fecha_emision', 'date_order', 'date'], kind: 'date' },
  { label: 'Fecha de vencimiento', keys: ['invoice_date_due', 'date_deadline', 'validity_date'], kind: 'date' },
  { label: 'Fecha programada', keys: ['scheduled_date', 'date_planned'], kind: 'date' },
  { label: 'Período', keys: ['date_from'], kind: 'date' },
  { label: 'Hasta', keys: ['date_to'], kind: 'date' },
  { label: 'Diario', keys: ['journal_id'] },
  { label: 'Plazo de pago', keys: ['invoice_payment_term_id', 'payment_term_id'] },
  { label: 'Origen', keys: ['invoice_origin', 'origin'] },
  { label: 'Referencia', keys: ['ref', 'client_order_ref', 'partner_ref'] },
  { label: 'Tipo de operación', keys: ['picking_type_id'] },
  { label: 'Estructura salarial', keys: ['struct_id'] },
  { label: 'Empresa', keys: ['company_id'] },
  { label: 'Responsable', keys: ['user_id', 'invoice_user_id'] },
];

/** Technical or bulky fields that never help answer a question. */
export const NOISE_FIELD =
  /^(id|__.*|_.*|message_.*|activity_.*|website_.*|access_.*|has_.*|show_.*|needed_.*|tax_totals.*|create_uid|create_date|write_uid|write_date|sequence.*|.*_html|.*_ids|.*_count|.*_hash|.*_signature|.*_xml|.*_file|.*_attachment.*|.*_token|.*password.*|.*secret.*|.*api_key.*)$/i;
