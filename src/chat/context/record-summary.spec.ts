import { dteCodeInLabel, dteTypeName } from './dte-document-types';
import { displayValue, RECORD_SUMMARY_MAX_CHARS, summarizeRecord } from './record-summary';

const invoice = {
  name: 'FAC 000123',
  move_type: 'out_invoice',
  l10n_latam_document_type_id: { id: 5, name: '(33) Factura Electrónica' },
  l10n_latam_document_number: '000123',
  partner_id: { id: 7, name: 'Cliente Ejemplo SpA' },
  partner_vat: '76.123.456-7',
  amount_untaxed: 100000,
  amount_tax: 19000,
  amount_total: 119000,
  currency_id: { id: 45, name: 'CLP' },
  state: 'posted',
  payment_state: 'not_paid',
  invoice_date: '2025-10-22',
  invoice_date_due: '2025-11-21',
  company_id: { id: 1, name: 'Test Company' },
};

/** A record as the wizard sends it: every simple field, most of them noise for the question. */
function bigRecord(fieldCount: number): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i < fieldCount; i++) {
    record[`x_field_${i}`] =
      i % 3 === 0 ? `valor de relleno ${i} `.repeat(20) : i % 3 === 1 ? i * 1000 : { id: i, name: `Relacionado ${i}` };
    record[`message_field_${i}`] = 'ruido';
  }
  return { ...record, ...invoice, narration: '<p>' + 'Texto largo. '.repeat(500) + '</p>' };
}

describe('dteTypeName / dteCodeInLabel', () => {
  it.each([
    [33, 'Factura Electrónica'],
    ['34', 'Factura No Afecta o Exenta Electrónica'],
    [' 061 ', 'Nota de Crédito Electrónica'],
    ['52', 'Guía de Despacho Electrónica'],
    ['39', 'Boleta Electrónica'],
    [110, 'Factura de Exportación Electrónica'],
    ['99', undefined],
    [null, undefined],
  ])('%p → %p', (code, name) => expect(dteTypeName(code)).toBe(name));

  it.each([
    ['(33) Factura Electrónica', '33'],
    ['61 - Nota de Crédito', '61'],
    ['Factura Electrónica', undefined],
    ['FAC 000123', undefined],
  ])('finds the code in %p', (label, code) => expect(dteCodeInLabel(label)).toBe(code));
});

describe('displayValue', () => {
  it.each([
    [false, undefined],
    ['', undefined],
    [null, undefined],
    [{ id: 3, name: 'CLP' }, 'CLP'],
    [[3, 'CLP'], 'CLP'],
    [[1, 2, 3], undefined],
    [119000, '119.000'],
    ['<p>hola   mundo</p>', 'hola mundo'],
  ])('%p → %p', (value, shown) => expect(displayValue(value)).toBe(shown));

  it('cuts long text', () => expect(displayValue('a'.repeat(500))!.length).toBeLessThanOrEqual(80));
  it.each([
    ['markup', '<p>Factura <b>F-12</b></p>', 'Factura F-12'],
    ['a tag cut by the length limit', `${'x'.repeat(300)}<b`, `${'x'.repeat(79)}…`],
    ['a megabyte of "<"', '<'.repeat(1_000_000), `${'<'.repeat(79)}…`],
    ['a megabyte of spaces before a word', `${' '.repeat(1_000_000)}Hola`, undefined],
  ])('flattens %s from the first characters only', (_what, input, shown) => expect(displayValue(input)).toBe(shown));
});

describe('summarizeRecord', () => {
  it('names the DTE type and gives folio, partner, amounts, state and dates of an invoice', () => {
    const text = summarizeRecord(invoice, { model: 'account.move' });
    expect(text).toContain('Tipo de documento: Factura Electrónica (DTE 33)');
    expect(text).toContain('Número: FAC 000123');
    expect(text).toContain('Folio: 000123');
    expect(text).toContain('Cliente/Proveedor: Cliente Ejemplo SpA');
    expect(text).toContain('Monto neto: 100.000 CLP');
    expect(text).toContain('IVA: 19.000 CLP');
    expect(text).toContain('Total: 119.000 CLP');
    expect(text).toContain('Estado: Publicado (posted)');
    expect(text).toContain('Estado de pago: No pagado (not_paid)');
    expect(text).toContain('Fecha de emisión: 2025-10-22');
    expect(text).toContain('Factura de cliente (out_invoice)');
  });

  it.each([
    [{ dte_type: 33 }, 'Factura Electrónica (DTE 33)'],
    [{ tipo_dte: '61' }, 'Nota de Crédito Electrónica (DTE 61)'],
    [
      { l10n_latam_document_type_id: [9, '(52) Guía de Despacho Electrónica'] },
      'Guía de Despacho Electrónica (DTE 52)',
    ],
    [
      { l10n_latam_document_type_id: { id: 1, name: 'Factura' }, l10n_latam_document_type_code: '33' },
      'Factura Electrónica (DTE 33)',
    ],
    [{ l10n_latam_document_type_id: { id: 1, name: 'Documento interno' } }, 'Documento interno'],
  ])('reads the document type from %p', (record, expected) => {
    expect(summarizeRecord(record)).toContain(`Tipo de documento: ${expected}`);
  });

  it('stays bounded on a 150+ field record and still carries what matters', () => {
    const record = bigRecord(160);
    expect(Object.keys(record).length).toBeGreaterThan(300);
    const text = summarizeRecord(record, { model: 'account.move' });
    expect(text.length).toBeLessThanOrEqual(RECORD_SUMMARY_MAX_CHARS);
    expect(text).toContain('Factura Electrónica (DTE 33)');
    expect(text).toContain('Total: 119.000 CLP');
    expect(text).not.toContain('message_field');
    expect(text).not.toContain(
      'Texto largo. Texto largo. Texto largo. Texto largo. Texto largo. Texto largo. Texto largo.',
    );
  });

  it('honours a smaller budget', () => {
    expect(summarizeRecord(bigRecord(200), { maxChars: 300 }).length).toBeLessThanOrEqual(300);
  });

  it('skips empty Odoo values (False) and secrets', () => {
    const text = summarizeRecord({ name: 'X', partner_id: false, api_key: 'sk-123', password: 'p' });
    expect(text).toBe('Número: X');
  });

  it('returns nothing for an empty record', () => expect(summarizeRecord({})).toBe(''));
});

describe('tables looked up with values Odoo sends', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty'])(
    'shows a state, move type, model or DTE code "%s" as plain text',
    (v) => {
      const text = summarizeRecord({ state: v, move_type: v, l10n_latam_document_type_code: v }, { model: v });
      expect(text).not.toMatch(/function|native code|\[object/);
      expect(text).toContain(`Estado: ${v}`);
      expect(dteTypeName(v)).toBeUndefined();
    },
  );
});
