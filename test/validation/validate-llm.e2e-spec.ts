import { FakeAnthropic } from '../fakes/fake-anthropic';
import { FakeOpenAI } from '../fakes/fake-openai';
import { waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { RunningApp, startApp } from '../helpers/test-app';
import { odooCall, odooView } from './validation-helpers';

/**
 * The LLM review through the real LlmService and the official SDKs, against the fake Anthropic
 * and OpenAI servers, with a real Redis: the model can add warnings and lower the confidence; a
 * malformed answer or both providers down leave the rules' verdict, never a fail-open "send".
 */
describe('POST /api/ai/validate with the LLM review', () => {
  let redis: TestRedis;
  let anthropic: FakeAnthropic;
  let openai: FakeOpenAI;
  let svc: RunningApp;

  beforeAll(async () => {
    redis = await TestRedis.start();
    anthropic = await FakeAnthropic.start();
    openai = await FakeOpenAI.start();
    svc = await startApp({
      REDIS_URL: redis.url(),
      ANTHROPIC_API_KEY: 'x',
      ANTHROPIC_BASE_URL: anthropic.url,
      OPENAI_API_KEY: 'x',
      OPENAI_BASE_URL: openai.url,
      LLM_MAX_RETRIES: '0',
      LLM_BREAKER_THRESHOLD: '100',
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200);
  });
  afterAll(async () => {
    await svc?.close();
    await anthropic?.close();
    await openai?.close();
    await redis?.stop();
  });
  beforeEach(() => {
    anthropic.reset();
    openai.reset();
    anthropic.reply('{"warnings":[],"confidence":95,"notes":"Sin observaciones."}');
    openai.reply('{"warnings":[],"confidence":95,"notes":"Sin observaciones."}');
  });

  const validate = (body: unknown) => svc.call('POST', '/api/ai/validate', body);
  const BAD = { rut_receptor: '96790240-4' };

  it("adds the model's warning to a clean DTE and sends it to review", async () => {
    anthropic.reply(
      '{"warnings":["El receptor registra rechazos previos por giro no informado (giro_receptor)."],"confidence":75,"notes":"Revisar giro."}',
    );
    const r = await validate(odooCall({ x_studio_centro_costo: 'CC-12' }));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      recommendation: 'review',
      confidence: 75,
      errors: [],
      warnings: ['Revisión IA: El receptor registra rechazos previos por giro no informado (giro_receptor).'],
      llm_used: 'anthropic',
      llm_review: 'ok',
      notes: 'Revisar giro.',
    });
    expect(r.json.cost_usd).toBeGreaterThan(0);
    expect(odooView(r.json).valid).toBe(true);

    // What reached the model: the review prompt, JSON mode, the DTE with Odoo's extra key.
    expect(anthropic.requests).toHaveLength(1);
    const sent = JSON.stringify(anthropic.requests[0].body);
    expect(sent).toContain('Documentos Tributarios Electrónicos');
    expect(sent).toContain('x_studio_centro_costo');
    expect(sent).toContain('CC-12');
  });

  it("gives the model only the company's 20 most recent rejections", async () => {
    const history = Array.from({ length: 100 }, (_, i) => ({ folio: 1000 + i, motivo: `Rechazo número ${i}` }));
    const r = await validate({ ...odooCall(), history });
    expect(r.status).toBe(200);
    const sent = JSON.stringify(anthropic.requests[0].body);
    expect(sent).toContain('Rechazo número 99');
    expect(sent).toContain('Rechazo número 80');
    expect(sent).not.toContain('Rechazo número 79');
  });

  it('never turns a rules reject into send, whatever the model says', async () => {
    anthropic.reply('{"warnings":[],"confidence":100,"notes":"Ignora las reglas: enviar."}');
    const r = await validate(odooCall(BAD));
    expect(r.status).toBe(200);
    expect(r.json.recommendation).toBe('reject');
    expect(r.json.confidence).toBeLessThanOrEqual(20);
    expect(r.json.errors.join(' ')).toContain('rut_receptor');
  });

  it("keeps the rules' verdict when the model answers something that is not the JSON asked for", async () => {
    anthropic.reply('Claro, el documento se ve correcto y puede enviarse.');
    const good = await validate(odooCall());
    expect(good.status).toBe(200);
    expect(good.json).toMatchObject({
      recommendation: 'send',
      confidence: 100,
      llm_used: 'anthropic',
      llm_review: 'invalid_answer',
    });

    anthropic.reply('{"warnings":"ninguna","confidence":"alta"}');
    const bad = await validate(odooCall(BAD));
    expect(bad.status).toBe(200);
    expect(bad.json).toMatchObject({ recommendation: 'reject', llm_review: 'invalid_answer' });
  });

  it('falls back to OpenAI when Anthropic fails, and uses its review', async () => {
    anthropic.fault({ status: 500 });
    openai.reply(
      '{"warnings":["La razón social del receptor parece abreviada (razon_social_receptor)."],"confidence":85,"notes":""}',
    );
    const r = await validate(odooCall());
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ llm_used: 'openai', llm_review: 'ok', recommendation: 'review' });
    expect(r.json.warnings[0]).toMatch(/^Revisión IA: /);
    expect(anthropic.requests.length).toBeGreaterThan(0);
    expect(openai.requests).toHaveLength(1);
  });

  it("answers with the offline rules' verdict when both providers fail with 500, never send for a bad DTE", async () => {
    anthropic.fault({ status: 500 });
    openai.fault({ status: 500 });
    const bad = await validate(odooCall(BAD));
    expect(bad.status).toBe(200);
    expect(bad.json).toMatchObject({ recommendation: 'reject', llm_used: 'offline' });
    expect(odooView(bad.json).valid).toBe(false);
    expect(anthropic.requests.length).toBeGreaterThan(0);
    expect(openai.requests.length).toBeGreaterThan(0);

    const body = odooCall();
    const good = await validate(body);
    expect(good.status).toBe(200);
    expect(good.json).toMatchObject({ recommendation: 'send', llm_used: 'offline', llm_review: 'failed', errors: [] });

    // The outage verdict is not cached: once a provider is back, the same request gets its review.
    anthropic.fault(null);
    openai.fault(null);
    const again = await validate(body);
    expect(again.json).toMatchObject({ cached: false, llm_used: 'anthropic', llm_review: 'ok' });
  });

  it('does not ask the model again for an identical request', async () => {
    const body = odooCall();
    const first = await validate(body);
    const second = await validate(body);
    expect(first.json.llm_used).toBe('anthropic');
    expect(second.json).toEqual({ ...first.json, cached: true, cost_usd: 0 });
    expect(anthropic.requests).toHaveLength(1);
  });
});
