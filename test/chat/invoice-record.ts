/**
 * An account.move as Odoo's universal wizard sends it in `active_record_data`: every char, text,
 * number, selection and date field, many2one as {id, name}, Odoo's `false` for empty values. Plain
 * JSON numbers, for tests that post with fetch; the Odoo conformance suite's record, with Python's
 * floats on the wire, is test/odoo/odoo-records.ts.
 */
export function invoiceRecord(fieldCount = 180): Record<string, unknown> {
  const record: Record<string, unknown> = {
    id: 42,
    name: 'FAC 000123',
    display_name: 'FAC 000123',
    move_type: 'out_invoice',
    state: 'posted',
    payment_state: 'not_paid',
    l10n_latam_document_type_id: { id: 5, name: '(33) Factura Electrónica' },
    l10n_latam_document_number: '000123',
    partner_id: { id: 7, name: 'Cliente Ejemplo SpA' },
    commercial_partner_id: { id: 7, name: 'Cliente Ejemplo SpA' },
    partner_shipping_id: { id: 7, name: 'Cliente Ejemplo SpA' },
    invoice_date: '2025-10-22',
    invoice_date_due: '2025-11-21',
    date: '2025-10-22',
    amount_untaxed: 100000,
    amount_tax: 19000,
    amount_total: 119000,
    amount_residual: 119000,
    amount_untaxed_signed: 100000,
    amount_total_signed: 119000,
    currency_id: { id: 45, name: 'CLP' },
    company_id: { id: 1, name: 'Test Company' },
    journal_id: { id: 1, name: 'Facturas de cliente' },
    invoice_payment_term_id: { id: 3, name: '30 días' },
    invoice_user_id: { id: 2, name: 'Mitchell Admin' },
    narration: '<p>' + 'Condiciones generales de venta. '.repeat(200) + '</p>',
    ref: false,
    invoice_origin: 'S00042',
    create_uid: { id: 2, name: 'Mitchell Admin' },
    write_date: '2025-10-22 12:00:00',
    access_token: 'abc123secret',
    message_follower_ids: [1, 2, 3],
  };
  for (let i = 0; Object.keys(record).length < fieldCount; i++) {
    record[`x_studio_field_${i}`] =
      i % 4 === 0
        ? false
        : i % 4 === 1
          ? `Valor ${i} `.repeat(30)
          : i % 4 === 2
            ? i * 17.5
            : { id: i, name: `Relacionado ${i}` };
  }
  return record;
}
