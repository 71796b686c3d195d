import { MAX_FINDINGS_PER_RULE, RULES, runRules } from './run-rules';
import { DteData } from './rule.types';

/** Fixed "today" in Chile: every date below is relative to it. */
const ctx = { today: '2026-03-20' };
const EMISOR = '76.086.428-5';
const RECEPTOR = '96790240-3';

const factura = (o: DteData = {}): DteData => ({
  tipo_dte: '33',
  folio: 12345,
  fecha_emision: '2026-03-10',
  rut_emisor: EMISOR,
  rut_receptor: RECEPTOR,
  razon_social_emisor: 'Comercial Los Andes SpA',
  monto_neto: 100000.0,
  monto_iva: 19000.0,
  monto_exento: 0,
  monto_total: 119000.0,
  ...o,
});
const ref = (o: Record<string, unknown> = {}) => ({
  tipo_doc_ref: 33,
  folio_ref: 12345,
  fecha_ref: '2026-03-10',
  codigo_ref: 3,
  razon_ref: 'Corrige precio',
  ...o,
});
const notaCredito = (o: DteData = {}): DteData => ({
  tipo_dte: 61,
  folio: 881,
  fecha_emision: '2026-03-15',
  rut_emisor: EMISOR,
  rut_receptor: RECEPTOR,
  monto_neto: 20000,
  monto_iva: 3800,
  monto_total: 23800,
  referencias: [ref()],
  ...o,
});
const exportacion = (o: DteData = {}): DteData => ({
  tipo_dte: 110,
  folio: 55,
  fecha_emision: '2026-03-01',
  rut_emisor: EMISOR,
  rut_receptor: '55555555-5',
  moneda: 'DOLAR USA',
  monto_exento: 12500.75,
  monto_total: 12500.75,
  ...o,
});

interface Expect {
  errors?: string[];
  warnings?: string[];
}

/** [behaviour, dte_data, fields named by errors / warnings (exactly)]. */
const CASES: Array<[string, DteData, Expect]> = [
  // valid documents of every family
  ['accepts a factura 33 with Odoo floats', factura(), {}],
  [
    'accepts numeric strings for amounts, tipo and folio',
    factura({ tipo_dte: '33', folio: '12345', monto_neto: '100000', monto_iva: '19000', monto_total: '119000.0' }),
    {},
  ],
  [
    'accepts RUTs without dots, without dash and with lowercase k',
    factura({ rut_emisor: '760864285', rut_receptor: '76.354.771-k' }),
    {},
  ],
  ['accepts IVA one peso off the rounded 19%', factura({ monto_neto: 10001, monto_iva: 1901, monto_total: 11902 }), {}],
  ['accepts an ISO datetime emission date', factura({ fecha_emision: '2026-03-10T15:30:00-03:00' }), {}],
  ['accepts Odoo false for empty optional amounts', factura({ monto_exento: false }), {}],
  [
    'accepts additional taxes (ILA) given as a list in the total',
    factura({ monto_total: 129000, impuestos_adicionales: [{ codigo: 27, tasa: 10, monto: 10000 }] }),
    {},
  ],
  [
    'accepts a factura exenta 34',
    factura({ tipo_dte: 34, monto_neto: 0, monto_iva: 0, monto_exento: 50000, monto_total: 50000 }),
    {},
  ],
  [
    'accepts a boleta 39 to a final consumer with only the total',
    { tipo_dte: 39, folio: 9001, fecha_emision: '2026-03-19', rut_emisor: EMISOR, monto_total: 11900 },
    {},
  ],
  [
    'accepts a boleta 39 to 66.666.666-6 with net and IVA',
    {
      tipo_dte: 39,
      folio: 9002,
      fecha_emision: '2026-03-19',
      rut_emisor: EMISOR,
      rut_receptor: '66666666-6',
      monto_neto: 10000,
      monto_iva: 1900,
      monto_total: 11900,
      items: [{ nombre: 'Café', monto_item: 11900 }],
    },
    {},
  ],
  [
    'accepts a boleta exenta 41',
    { tipo_dte: 41, folio: 12, fecha_emision: '2026-03-19', rut_emisor: EMISOR, monto_exento: 5000, monto_total: 5000 },
    {},
  ],
  [
    'accepts a factura de compra 46 with IVA withheld',
    factura({ tipo_dte: 46, iva_retenido: 19000, monto_total: 100000 }),
    {},
  ],
  ['accepts a liquidación factura 43', factura({ tipo_dte: 43 }), {}],
  [
    'accepts a guía 52 of an internal transfer between own premises',
    {
      tipo_dte: 52,
      folio: 300,
      fecha_emision: '2026-03-18',
      rut_emisor: EMISOR,
      rut_receptor: EMISOR,
      ind_traslado: 5,
      monto_total: 0,
    },
    {},
  ],
  ['accepts a valued guía 52 for a sale', factura({ tipo_dte: 52, ind_traslado: 1 }), {}],
  [
    'accepts a nota de débito 56 referencing a factura',
    notaCredito({ tipo_dte: 56, referencias: [ref({ codigo_ref: '3' })] }),
    {},
  ],
  [
    'accepts a nota de crédito 61 that voids a factura, next to an order reference',
    notaCredito({ referencias: [{ tipo_doc_ref: 801, folio_ref: 'OC-77' }, ref({ codigo_ref: 1 })] }),
    {},
  ],
  [
    'accepts a text-only nota de crédito 61 on a boleta with total 0',
    notaCredito({
      monto_neto: 0,
      monto_iva: 0,
      monto_total: 0,
      referencias: [ref({ tipo_doc_ref: 39, codigo_ref: 2 })],
    }),
    {},
  ],
  ['accepts a factura de exportación 110 in dollars with decimals', exportacion(), {}],
  [
    'accepts a nota de crédito de exportación 112 referencing a 110',
    exportacion({ tipo_dte: 112, referencias: [ref({ tipo_doc_ref: 110, fecha_ref: '2026-02-01' })] }),
    {},
  ],
  [
    'accepts items whose sum matches net + exempt',
    factura({ items: [{ monto_item: 60000 }, { price_subtotal: 40000.0 }] }),
    {},
  ],

  // each rule broken once: errors name the field
  ['rejects a missing tipo_dte', factura({ tipo_dte: undefined }), { errors: ['tipo_dte'] }],
  ['rejects a tipo_dte the SII does not define', factura({ tipo_dte: 35 }), { errors: ['tipo_dte'] }],
  ['rejects folio 0', factura({ folio: 0 }), { errors: ['folio'] }],
  ['rejects a non-numeric folio', factura({ folio: 'F-12' }), { errors: ['folio'] }],
  ['rejects a wrong check digit in rut_emisor', factura({ rut_emisor: '76.086.428-4' }), { errors: ['rut_emisor'] }],
  ['rejects a malformed rut_receptor', factura({ rut_receptor: 'abc-1' }), { errors: ['rut_receptor'] }],
  ['rejects a factura without rut_receptor', factura({ rut_receptor: undefined }), { errors: ['rut_receptor'] }],
  ['rejects a factura to the issuer itself', factura({ rut_receptor: '76086428-5' }), { errors: ['rut_receptor'] }],
  ['rejects a missing monto_total', factura({ monto_total: undefined }), { errors: ['monto_total'] }],
  ['rejects an amount with a fraction', factura({ monto_total: 119000.5 }), { errors: ['monto_total'] }],
  ['rejects a non-numeric amount', factura({ monto_neto: 'abc' }), { errors: ['monto_neto'] }],
  ['rejects a negative amount', factura({ monto_exento: -1 }), { errors: ['monto_exento'] }],
  ['rejects a thousands-separated string amount', factura({ monto_total: '119.000' }), { errors: ['monto_total'] }],
  [
    'rejects IVA that is not 19% of the net amount',
    factura({ monto_iva: 18000, monto_total: 118000 }),
    { errors: ['monto_iva'] },
  ],
  ['rejects a total that does not add up', factura({ monto_total: 120000 }), { errors: ['monto_total'] }],
  [
    'rejects IVA on an exempt factura 34',
    factura({ tipo_dte: 34, monto_neto: 0, monto_exento: 100000 }),
    { errors: ['monto_iva'] },
  ],
  [
    'rejects a factura with net amount and no IVA',
    factura({ monto_iva: undefined, monto_total: 100000 }),
    { errors: ['monto_iva'] },
  ],
  [
    'rejects a nota de crédito without references',
    notaCredito({ referencias: undefined }),
    { errors: ['referencias'] },
  ],
  [
    'rejects a reference code other than 1, 2 or 3',
    notaCredito({ referencias: [ref({ codigo_ref: 4 })] }),
    { errors: ['referencias[0].codigo_ref'] },
  ],
  [
    'rejects a reference to a document issued after the note',
    notaCredito({ referencias: [ref({ fecha_ref: '2026-03-16' })] }),
    { errors: ['referencias[0].fecha_ref'] },
  ],
  [
    'rejects a domestic note modifying an export factura',
    notaCredito({ referencias: [ref({ tipo_doc_ref: 110 })] }),
    { errors: ['referencias[0].tipo_doc_ref'] },
  ],
  [
    'rejects an export note modifying a domestic factura',
    exportacion({ tipo_dte: 112, referencias: [ref({ fecha_ref: '2026-02-01' })] }),
    { errors: ['referencias[0].tipo_doc_ref'] },
  ],
  ['rejects referencias that are not a list', factura({ referencias: 'factura 12' }), { errors: ['referencias'] }],
  ['rejects an emission date in the future', factura({ fecha_emision: '2026-03-21' }), { errors: ['fecha_emision'] }],
  [
    'rejects an emission date that does not exist',
    factura({ fecha_emision: '2026-02-30' }),
    { errors: ['fecha_emision'] },
  ],
  ['rejects a missing emission date', factura({ fecha_emision: undefined }), { errors: ['fecha_emision'] }],
  [
    'rejects an emission date before electronic invoicing existed',
    factura({ fecha_emision: '1999-12-31' }),
    { errors: ['fecha_emision'] },
  ],

  // suspicious but legal: warnings
  [
    'warns about an emission date older than six months',
    factura({ fecha_emision: '2025-08-01' }),
    { warnings: ['fecha_emision'] },
  ],
  [
    'warns about a boleta that names a taxpayer receptor',
    {
      tipo_dte: 39,
      folio: 9003,
      fecha_emision: '2026-03-19',
      rut_emisor: EMISOR,
      rut_receptor: RECEPTOR,
      monto_total: 11900,
    },
    { warnings: ['rut_receptor'] },
  ],
  [
    'warns about a very large total',
    factura({ monto_neto: 1_000_000_000, monto_iva: 190_000_000, monto_total: 1_190_000_000 }),
    { warnings: ['monto_total'] },
  ],
  [
    'warns when the items do not add up to the net amount',
    factura({ items: [{ monto_item: 50000 }] }),
    { warnings: ['items'] },
  ],
  [
    'warns about a factura with neither net amount nor IVA',
    factura({ monto_neto: undefined, monto_iva: undefined, monto_exento: undefined }),
    { warnings: ['monto_neto'] },
  ],
  ['warns about an export to a Chilean RUT', exportacion({ rut_receptor: RECEPTOR }), { warnings: ['rut_receptor'] }],
  [
    'warns about a reference without a reason',
    notaCredito({ referencias: [ref({ razon_ref: '' })] }),
    { warnings: ['referencias[0].razon_ref'] },
  ],
  [
    'warns about a guía to oneself that is a sale',
    {
      tipo_dte: 52,
      folio: 301,
      fecha_emision: '2026-03-18',
      rut_emisor: EMISOR,
      rut_receptor: EMISOR,
      ind_traslado: 1,
      monto_total: 0,
    },
    { warnings: ['rut_receptor'] },
  ],
  [
    'warns about a text-only correction that carries an amount',
    notaCredito({ referencias: [ref({ codigo_ref: 2 })] }),
    { warnings: ['monto_total'] },
  ],
];

describe('DTE rules', () => {
  it.each(CASES)('%s', (_name, dte, expected) => {
    const report = runRules(dte, ctx);
    expect(report.errors.map((f) => f.field).sort()).toEqual([...(expected.errors ?? [])].sort());
    expect(report.warnings.map((f) => f.field).sort()).toEqual([...(expected.warnings ?? [])].sort());
  });

  it('reports every rule in checks, in a fixed order, failing exactly the broken one', () => {
    const report = runRules(factura({ rut_receptor: '96790240-4' }), ctx);
    expect(report.checks.map((c) => c.rule)).toEqual([
      'tipo_dte',
      'folio',
      'fecha_emision',
      'rut_emisor',
      'rut_receptor',
      'emisor_receptor',
      'montos',
      'iva',
      'total',
      'referencias',
      'items',
      'monto_razonable',
    ]);
    expect(report.checks.filter((c) => !c.passed).map((c) => c.rule)).toEqual(['rut_receptor', 'emisor_receptor']);
    const rut = report.checks.find((c) => c.rule === 'rut_receptor')!;
    expect(rut).toMatchObject({ passed: false, severity: 'error' });
    expect(rut.message).toContain('rut_receptor');
    expect(rut.message).toContain('96.790.240-3');
  });

  it('names the field and the expected value in Spanish', () => {
    const [iva] = runRules(factura({ monto_iva: 18000, monto_total: 118000 }), ctx).errors;
    expect(iva.message).toBe(
      'El IVA (monto_iva) 18.000 no corresponde al 19% del monto neto 100.000: se esperaba 19.000 (±1 peso).',
    );
    const [amount] = runRules(factura({ monto_total: 119000.5 }), ctx).errors;
    expect(amount.message).toBe('El campo monto_total 119000.5 debe ser un monto entero en pesos, sin decimales.');
  });

  it('skips the arithmetic rules when an amount is malformed instead of piling up errors', () => {
    const report = runRules(factura({ monto_neto: 'abc' }), ctx);
    expect(report.errors).toHaveLength(1);
    expect(report.checks.find((c) => c.rule === 'iva')).toMatchObject({ passed: false, severity: 'skipped' });
  });

  it('counts checks left unverified for lack of optional data', () => {
    const boleta = runRules(
      { tipo_dte: 39, folio: 1, fecha_emision: '2026-03-19', rut_emisor: EMISOR, monto_total: 11900 },
      ctx,
    );
    expect(boleta.unverified).toBe(2);
    expect(boleta.checks.find((c) => c.rule === 'iva')).toMatchObject({ passed: true, severity: 'skipped' });
    expect(runRules(factura(), ctx).unverified).toBe(0);
  });

  it('reports a rule that throws as a warning and runs the others (the verdict can only go to review)', () => {
    const boom = () => {
      throw new TypeError('Cannot convert object to primitive value');
    };
    const rules = RULES.map(([name, rule]): (typeof RULES)[number] => [name, name === 'folio' ? boom : rule]);
    const report = runRules(factura({ rut_receptor: '96790240-4' }), ctx, rules);
    expect(report.failures).toEqual([{ rule: 'folio', error: expect.any(TypeError) }]);
    expect(report.checks).toHaveLength(RULES.length);
    expect(report.warnings.map((f) => f.rule)).toEqual(['folio']);
    expect(report.errors.map((f) => f.rule)).toEqual(['rut_receptor']);
  });

  it('reports at most MAX_FINDINGS_PER_RULE findings per rule, then one that counts the rest', () => {
    const report = runRules(factura({ impuestos_adicionales: new Array(25).fill(1.5) }), ctx);
    const montos = report.findings.filter((f) => f.rule === 'montos');
    expect(montos).toHaveLength(MAX_FINDINGS_PER_RULE + 1);
    expect(montos[MAX_FINDINGS_PER_RULE]).toMatchObject({
      severity: 'error',
      field: 'impuestos_adicionales[10].monto',
    });
    expect(montos[MAX_FINDINGS_PER_RULE].message).toMatch(/y 15 hallazgos más de la regla montos/);
  });

  it.each([
    ['impuestos_adicionales', 'montos', 'error'],
    ['referencias', 'referencias', 'error'],
    ['items', 'items', 'warning'],
  ])('answers one finding for a list %s longer than 1000 elements', (field, rule, severity) => {
    const report = runRules(notaCredito({ [field]: new Array(1001).fill({ monto: 1 }) }), ctx);
    expect(report.findings.filter((f) => f.rule === rule)).toEqual([
      expect.objectContaining({ field, severity, message: expect.stringMatching(/más de 1000 elementos/) }),
    ]);
  });

  it('names folio_ref when it is an object whose toString is not a function', () => {
    const report = runRules(notaCredito({ referencias: [ref({ folio_ref: { toString: 1 } })] }), ctx);
    expect(report.failures).toEqual([]);
    expect(report.errors.map((f) => f.field)).toEqual(['referencias[0].folio_ref']);
  });
});
