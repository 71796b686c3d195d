import { TestRedis } from '../helpers/redis-server';
import { waitFor } from '../helpers/ports';
import { RunningApp, startApp } from '../helpers/test-app';
import { chileDaysAgo } from '../odoo/odoo-payloads';
import { EMISOR, metric, nextFolio, odooCall, odooView, RECEPTOR } from './validation-helpers';

/** POST /api/ai/validate over HTTP with a real Redis and no LLM key (rules + offline). */
describe('POST /api/ai/validate (rules, cache, Redis)', () => {
  let redis: TestRedis;
  let svc: RunningApp;

  beforeAll(async () => {
    redis = await TestRedis.start();
    svc = await startApp({ REDIS_URL: redis.url(), VALIDATION_CACHE_TTL: '120', RATE_LIMIT_PER_MINUTE: '100000' });
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200);
  });
  afterAll(async () => {
    await svc?.close();
    await redis?.stop();
  });

  const validate = (body: unknown) => svc.call('POST', '/api/ai/validate', body);

  it("answers Odoo's exact call with floats like 119000.0 with 200 and a valid verdict", async () => {
    const r = await validate(odooCall());
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      recommendation: 'send',
      confidence: 100,
      errors: [],
      warnings: [],
      llm_used: 'offline',
      llm_review: 'offline',
      cached: false,
    });
    expect(r.json.checks).toHaveLength(12);
    expect(
      r.json.checks.every((c: { rule: string; passed: boolean; message: string }) => c.passed && c.message.length > 0),
    ).toBe(true);
    expect(odooView(r.json)).toEqual({ valid: true, issues: [], suggestions: [], confidence: 100 });
  });

  it('rejects a wrong check digit with 200, naming rut_receptor', async () => {
    const r = await validate(odooCall({ rut_receptor: '96.790.240-4' }));
    expect(r.status).toBe(200);
    expect(r.json.recommendation).toBe('reject');
    expect(r.json.errors).toHaveLength(1);
    expect(r.json.errors[0]).toContain('rut_receptor');
    expect(r.json.errors[0]).toContain('96.790.240-3');
    expect(r.json.findings).toEqual([expect.objectContaining({ field: 'rut_receptor', severity: 'error' })]);
    expect(r.json.checks.find((c: { rule: string }) => c.rule === 'rut_receptor')).toMatchObject({
      passed: false,
      severity: 'error',
    });
    expect(odooView(r.json).valid).toBe(false);
  });

  it.each([
    ['an amount that is not a number', { monto_neto: 'abc' }, 'monto_neto'],
    ['an amount with a fraction', { monto_total: 119000.5 }, 'monto_total'],
    ['a missing total', { monto_total: undefined }, 'monto_total'],
    ['a future emission date', { fecha_emision: chileDaysAgo(-3) }, 'fecha_emision'],
    ['an unknown tipo_dte', { tipo_dte: '99' }, 'tipo_dte'],
    ['a nota de crédito without reference', { tipo_dte: 61 }, 'referencias'],
  ])('answers %s inside dte_data with 200 + reject naming the field', async (_what, change, field) => {
    const r = await validate(odooCall(change));
    expect(r.status).toBe(200);
    expect(r.json.recommendation).toBe('reject');
    expect(
      r.json.findings
        .filter((f: { severity: string }) => f.severity === 'error')
        .map((f: { field: string }) => f.field),
    ).toEqual([field]);
  });

  it("reads the older client's bare body, with the tipo and iva aliases", async () => {
    const bare = {
      tipo: 33,
      folio: nextFolio(),
      fecha_emision: chileDaysAgo(1),
      rut_emisor: EMISOR,
      rut_receptor: RECEPTOR,
      monto_neto: 50000,
      iva: 9500,
      monto_total: 59500,
    };
    const ok = await validate(bare);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ recommendation: 'send', errors: [] });
    expect(ok.json.checks.find((c: { rule: string }) => c.rule === 'tipo_dte').message).toContain('33');
    expect(ok.json.checks.find((c: { rule: string }) => c.rule === 'iva')).toMatchObject({
      passed: true,
      severity: 'ok',
    });

    const wrongIva = await validate({ ...bare, folio: nextFolio(), iva: 9000, monto_total: 59000 });
    expect(wrongIva.status).toBe(200);
    expect(wrongIva.json.recommendation).toBe('reject');
    expect(wrongIva.json.errors.join(' ')).toContain('monto_iva');
  });

  it('accepts the tipo and iva aliases inside the envelope too', async () => {
    const { dte_data, ...rest } = odooCall();
    const { tipo_dte, monto_iva, ...others } = dte_data;
    const r = await validate({ ...rest, dte_data: { ...others, tipo: Number(tipo_dte), iva: monto_iva } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ recommendation: 'send', errors: [] });
  });

  it('keeps every extra key Odoo adds to dte_data instead of refusing it', async () => {
    const r = await validate(
      odooCall({
        x_studio_centro_costo: 'CC-12',
        partner_id: [7, 'Distribuidora Pacífico'],
        l10n_cl_sii_barcode: false,
        nested: { deep: [1, 2] },
      }),
    );
    expect(r.status).toBe(200);
    expect(r.json.recommendation).toBe('send');
  });

  it.each([
    ['no dte_data', { company_id: 1, history: [] }, 'dte_data'],
    ['dte_data that is not an object', { dte_data: [1, 2], company_id: 1, history: [] }, 'dte_data'],
    ['dte_data null', { dte_data: null, company_id: 1 }, 'dte_data'],
    ['a body that is a list', [{ tipo_dte: 33 }], 'dte_data'],
    ['no company_id', { dte_data: { tipo_dte: 33 }, history: [] }, 'company_id'],
    ['company_id 0', { dte_data: { tipo_dte: 33 }, company_id: 0 }, 'company_id'],
    ['company_id that is text', { dte_data: { tipo_dte: 33 }, company_id: 'acme' }, 'company_id'],
    ['history that is not a list', { dte_data: { tipo_dte: 33 }, company_id: 1, history: {} }, 'history'],
    [
      'history over 100 items',
      { dte_data: { tipo_dte: 33 }, company_id: 1, history: new Array(101).fill({ motivo: 'x' }) },
      'history',
    ],
  ])('answers a malformed envelope (%s) with 400 naming the field', async (_what, body, field) => {
    const r = await validate(body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ statusCode: 400, error: 'Bad Request', field });
    expect(r.json.detail).toContain(`"${field}"`);
  });

  it('serves the second identical call from the cache, under a cache:* key with the TTL', async () => {
    const body = odooCall();
    const hits = await metric(svc, 'dte_validation_cache_hits_total');
    const misses = await metric(svc, 'dte_validation_cache_misses_total');
    const first = await validate(body);
    const second = await validate(body);
    expect(first.json.cached).toBe(false);
    expect(second.status).toBe(200);
    expect(second.json).toEqual({ ...first.json, cached: true, cost_usd: 0 });
    expect(await metric(svc, 'dte_validation_cache_hits_total')).toBe(hits + 1);
    expect(await metric(svc, 'dte_validation_cache_misses_total')).toBe(misses + 1);

    const keys = redis.cli('-n', '1', '--scan', '--pattern', 'cache:*').split('\n').filter(Boolean);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => /^cache:validation:[0-9a-f]{64}$/.test(k))).toBe(true);
    const ttl = Number(redis.cli('-n', '1', 'TTL', keys[0]));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(120);

    // Same DTE for another company: a different entry.
    expect((await validate({ ...body, company_id: 2 })).json.cached).toBe(false);
  });

  it('counts every answer in dte_validations_total by recommendation', async () => {
    const before = await metric(svc, 'dte_validations_total', '{recommendation="reject"}');
    await validate(odooCall({ rut_emisor: '76.086.428-4' }));
    expect(await metric(svc, 'dte_validations_total', '{recommendation="reject"}')).toBe(before + 1);
  });

  it('documents the endpoint in Swagger with a factura 33 and a nota de crédito 61 example', async () => {
    const doc = (await svc.call('GET', '/docs-json', undefined, { auth: false })).json;
    const op = doc.paths['/api/ai/validate'].post;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400']));
    const examples = op.requestBody.content['application/json'].examples;
    expect(examples.factura_33.value.dte_data.tipo_dte).toBe('33');
    expect(examples.nota_credito_61.value.dte_data.referencias[0]).toMatchObject({ tipo_doc_ref: 33, codigo_ref: 3 });
  });

  it('keeps answering with the rules while Redis is down, never 5xx', async () => {
    await redis.stop();
    try {
      const bad = await validate(odooCall({ rut_receptor: '96790240-4' }));
      expect(bad.status).toBe(200);
      expect(bad.json).toMatchObject({ recommendation: 'reject', cached: false });
      const body = odooCall();
      const good1 = await validate(body);
      const good2 = await validate(body);
      expect([good1.status, good2.status]).toEqual([200, 200]);
      expect(good1.json.recommendation).toBe('send');
      expect(good2.json.cached).toBe(false);
    } finally {
      await redis.restart();
    }
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200);
    const body = odooCall();
    await validate(body);
    expect((await validate(body)).json.cached).toBe(true);
  });
});
