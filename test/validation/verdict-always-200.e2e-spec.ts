import { validationCacheKey } from '../../src/validation/cache-key';
import { RULES_VERSION } from '../../src/validation/rules/run-rules';
import { chileDay } from '../../src/common/chile-time';
import { FakeAnthropic } from '../fakes/fake-anthropic';
import { waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { call, RunningApp, startApp, TEST_KEY } from '../helpers/test-app';
import { odooCall } from './validation-helpers';

const REVIEW_OK = '{"warnings":[],"confidence":95,"notes":"Sin observaciones."}';
/** A second and third accepted key, so each test spends its own rate-limit budgets. */
const KEY_B = 'key-b-0123456789abcdef0123456789abcdef';
const KEY_C = 'key-c-0123456789abcdef0123456789abcdef';

/**
 * Odoo's DTE clients read any non-200 (and any answer after 10 s) as "valid, send it to the SII".
 * For a `dte_data` that is an object, whatever it holds, the answer must be a 200 verdict: these
 * are the cases that once answered 429 or 500 instead, reproduced against a real Redis and the
 * LLM review through the real SDK against the fake Anthropic.
 */
describe('POST /api/ai/validate: a DTE content problem is always a 200 verdict', () => {
  let redis: TestRedis;
  let anthropic: FakeAnthropic;
  let svc: RunningApp;

  beforeAll(async () => {
    [redis, anthropic] = await Promise.all([TestRedis.start(), FakeAnthropic.start()]);
    svc = await startApp({
      AI_SERVICE_API_KEY: [TEST_KEY, KEY_B, KEY_C].join(','),
      REDIS_URL: redis.url(),
      ANTHROPIC_API_KEY: 'sk-ant-verdict',
      ANTHROPIC_BASE_URL: anthropic.url,
      LLM_MAX_RETRIES: '0',
      // RATE_LIMIT_PER_MINUTE stays at its default (120), as in the report.
      VALIDATION_RATE_LIMIT_PER_MINUTE: '5',
    });
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200, 15_000);
  });
  afterAll(async () => {
    await svc?.close();
    await Promise.all([anthropic?.close(), redis?.stop()]);
  });
  beforeEach(() => {
    anthropic.reset();
    anthropic.reply(REVIEW_OK);
  });

  const validate = (body: unknown, key = TEST_KEY) => call(svc.url, key, 'POST', '/api/ai/validate', body);
  const findingsOf = (json: any, rule: string) => (json.findings as any[]).filter((f) => f.rule === rule);

  it('answers 200 with a verdict after the key spent its whole chat budget on 120 knowledge searches', async () => {
    for (let i = 0; i < 120; i++) {
      const r = await svc.call('GET', `/api/chat/knowledge/search?query=factura+${i}`);
      expect(r.status).toBe(200);
    }
    expect((await svc.call('GET', '/api/chat/knowledge/search?query=factura')).status).toBe(429);

    const r = await validate(odooCall({ rut_receptor: '96790240-4' }));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ recommendation: 'reject', llm_review: 'ok' });
    expect(r.json.errors.join(' ')).toMatch(/rut_receptor/);
  });

  it('has its own budget: over VALIDATION_RATE_LIMIT_PER_MINUTE it answers the rules verdict and skips the LLM', async () => {
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await validate(odooCall({ rut_receptor: '96790240-4' }), KEY_B));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    expect(answers.map((a) => a.json.llm_review)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'rate_limited',
      'rate_limited',
    ]);
    expect(anthropic.requests).toHaveLength(5);
    const limited = answers[6].json;
    expect(limited).toMatchObject({ recommendation: 'reject', llm_used: 'offline', cached: false, cost_usd: 0 });
    expect(limited.errors.join(' ')).toMatch(/dígito verificador/);
    // A clean DTE over the budget is still judged by the rules, not waved through or refused.
    const clean = await validate(odooCall(), KEY_B);
    expect(clean.status).toBe(200);
    expect(clean.json).toMatchObject({ llm_review: 'rate_limited', errors: [] });
    // Validations did not spend the chat budget of the same key.
    expect((await call(svc.url, KEY_B, 'GET', '/api/chat/knowledge/search?query=iva')).status).toBe(200);
  });

  it('answers a verdict naming folio_ref when a reference carries {"toString": 1}', async () => {
    const r = await validate(
      odooCall({
        tipo_dte: 61,
        monto_neto: 10000,
        monto_iva: 1900,
        monto_total: 11900,
        referencias: [
          { tipo_doc_ref: 33, folio_ref: { toString: 1 }, fecha_ref: '2025-01-02', codigo_ref: 1, razon_ref: 'Anula' },
        ],
      }),
      KEY_C,
    );
    expect(r.status).toBe(200);
    expect(r.json.recommendation).toBe('reject');
    expect(r.json.errors.join(' ')).toMatch(/referencias\[0\]\.folio_ref/);
  });

  it('answers one bounded finding for impuestos_adicionales of 200,000 × 1.5 (800 KB), not a stack overflow', async () => {
    const body = odooCall({ impuestos_adicionales: new Array(200_000).fill(1.5) });
    const r = await validate(body, KEY_C);
    expect(r.status).toBe(200);
    expect(r.json.recommendation).toBe('reject');
    const montos = findingsOf(r.json, 'montos');
    expect(montos).toHaveLength(1);
    expect(montos[0]).toMatchObject({ field: 'impuestos_adicionales', severity: 'error' });
    expect(montos[0].message).toMatch(/más de 1000 elementos/);
    expect(JSON.stringify(r.json).length).toBeLessThan(20_000);
  });

  it('bounds the findings of one rule and the LLM prompt when many elements are wrong (1,000 × 1.5)', async () => {
    const r = await validate(odooCall({ impuestos_adicionales: new Array(1000).fill(1.5) }), KEY_C);
    expect(r.status).toBe(200);
    expect(r.json.recommendation).toBe('reject');
    const montos = findingsOf(r.json, 'montos');
    expect(montos.length).toBeLessThanOrEqual(11);
    expect(montos[montos.length - 1].message).toMatch(/y 990 hallazgos más/);
    const prompt = JSON.stringify(anthropic.lastRequest!.body.messages);
    expect(prompt.length).toBeLessThan(16_000);
  });

  // cache-manager keeps `JSON.stringify({value, expires})` as a JSON string under the key.
  it.each([
    ['a string', 'not a verdict'],
    ['a partial object saying send', { recommendation: 'send', confidence: 100 }],
  ])('reads a corrupt cached verdict (%s) as a miss and answers a fresh verdict', async (_what, value) => {
    const body = odooCall({ rut_receptor: '96790240-4' });
    const key = validationCacheKey({
      rulesVersion: RULES_VERSION,
      companyId: 1,
      dte: body.dte_data,
      history: [],
      today: chileDay(new Date()),
    });
    redis.cli('-n', '1', 'SET', key, JSON.stringify(JSON.stringify({ value, expires: null })));
    const r = await validate(body, KEY_C);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ recommendation: 'reject', cached: false });
    expect(r.json.checks).toHaveLength(12);
    // The fresh verdict replaced the corrupt entry under the same key (so the test did hit it).
    expect(JSON.parse(JSON.parse(redis.cli('-n', '1', 'GET', key))).value).toMatchObject({ recommendation: 'reject' });
  });

  it.each([
    ['a string', 'x'],
    ['a list', [1, 2]],
    ['null', null],
    ['a number', 33],
  ])('keeps a malformed envelope (dte_data is %s) a 400 naming dte_data', async (_what, dte) => {
    const r = await validate({ dte_data: dte, company_id: 1, history: [] }, KEY_C);
    expect(r.status).toBe(400);
    expect(r.json.field).toBe('dte_data');
  });
});

/**
 * One deadline covers everything a validation does (rate-limit counter, cache, LLM review, cost
 * record): past it the rules' verdict is the answer, well inside Odoo's 10 s.
 */
describe('POST /api/ai/validate: one end-to-end deadline', () => {
  let redis: TestRedis;
  let anthropic: FakeAnthropic;
  let svc: RunningApp;

  beforeAll(async () => {
    [redis, anthropic] = await Promise.all([TestRedis.start({ durable: true }), FakeAnthropic.start()]);
    anthropic.reply(REVIEW_OK);
    svc = await startApp({
      REDIS_URL: redis.url(),
      ANTHROPIC_API_KEY: 'sk-ant-deadline',
      ANTHROPIC_BASE_URL: anthropic.url,
      LLM_MAX_RETRIES: '0',
      VALIDATION_DEADLINE_MS: '1500',
    });
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200, 15_000);
  });
  afterAll(async () => {
    redis?.thaw();
    await svc?.close();
    await Promise.all([anthropic?.close(), redis?.destroy()]);
  });
  afterEach(() => {
    redis.thaw();
    anthropic.reset();
  });

  const timed = async (body: unknown) => {
    const started = performance.now();
    const r = await svc.call('POST', '/api/ai/validate', body);
    return { ...r, ms: performance.now() - started };
  };

  it('answers the rules verdict by the deadline when the model is slower than it', async () => {
    anthropic.fault({ delayMs: 5000 });
    const r = await timed(odooCall({ rut_receptor: '96790240-4' }));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ recommendation: 'reject', llm_review: 'timeout', cached: false });
    expect(r.ms).toBeLessThan(1500 + 1000);
  });

  it('answers the rules verdict by the deadline while Redis is frozen (sockets open, no replies)', async () => {
    anthropic.fault({ delayMs: 800 });
    redis.freeze();
    const r = await timed(odooCall({ rut_receptor: '96790240-4' }));
    expect(r.status).toBe(200);
    expect(r.json.recommendation).toBe('reject');
    expect(r.json.errors.join(' ')).toMatch(/rut_receptor/);
    expect(r.ms).toBeLessThan(1500 + 1000);
  });
});
