import { CostRecorder } from '../../src/cost/cost.port';
import { waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { RunningApp, startApp } from '../helpers/test-app';
import { entry } from './cost-helpers';

/** GET /metrics/costs over HTTP on the real application. */
let redis: TestRedis;
let app: RunningApp;

beforeAll(async () => {
  redis = await TestRedis.start();
  app = await startApp({ REDIS_URL: redis.url() });
  await waitFor(async () => (await app.call('GET', '/health/ready')).status === 200);
});
afterAll(async () => {
  await app.close();
  await redis.stop();
});

const metricValue = async (labels: string) => {
  const text = (await app.call('GET', '/metrics', undefined, { auth: false })).text;
  const line = text.split('\n').find((l) => l.startsWith('llm_cost_usd_total{') && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : 0;
};

it('requires the API key', async () => {
  const none = await app.call('GET', '/metrics/costs', undefined, { auth: false });
  expect(none.status).toBe(401);
  expect(none.json.detail).toMatch(/clave de API/);
  expect((await app.call('GET', '/metrics/costs', undefined, { auth: 'wrong-key' })).status).toBe(401);
});

it.each(['weekly', 'TODAY', ''])('answers 400 naming `period` for period=%p', async (period) => {
  const r = await app.call('GET', `/metrics/costs?period=${period}`);
  expect(r.status).toBe(400);
  expect(r.json).toMatchObject({ statusCode: 400, field: 'period' });
  expect(r.json.detail).toMatch(/"period"/);
});

it('reports what the LLM layer recorded, today by default, and counts it in Prometheus', async () => {
  const before = await metricValue('operation="sii_monitoring"');
  const costs = app.app.get(CostRecorder);
  const usd1 = await costs.record(
    entry({ operation: 'sii_monitoring', usage: { input_tokens: 2000, output_tokens: 400, cache_read_tokens: 6000 } }),
  );
  const usd2 = await costs.record(
    entry({
      operation: 'chat',
      provider: 'openai',
      model: 'gpt-4.1-mini',
      usage: { input_tokens: 500, output_tokens: 100 },
    }),
  );

  const r = await app.call('GET', '/metrics/costs');
  expect(r.status).toBe(200);
  expect(r.json).toMatchObject({
    period: 'today',
    timezone: 'America/Santiago',
    total_calls: 2,
    total_input_tokens: 2500,
    total_output_tokens: 500,
    total_cache_read_tokens: 6000,
    total_cache_write_tokens: 0,
    by_operation: {
      sii_monitoring: { calls: 1, input_tokens: 2000, output_tokens: 400 },
      chat: { calls: 1, input_tokens: 500, output_tokens: 100 },
      dte_validation: { calls: 0, cost_usd: 0 },
    },
    by_model: { 'claude-sonnet-4-6': { calls: 1 }, 'gpt-4.1-mini': { calls: 1 } },
    by_provider: { anthropic: { calls: 1 }, openai: { calls: 1 } },
  });
  expect(r.json.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(r.json.to).toBe(r.json.from);
  expect(r.json.total_cost_usd).toBeCloseTo(usd1 + usd2, 8);
  expect(r.json.avg_tokens_per_call).toBe((2500 + 500 + 6000) / 2);
  expect(r.json.cache_hit_rate).toBeCloseTo(6000 / 8500, 4);
  expect(await metricValue('operation="sii_monitoring"')).toBeCloseTo(before + usd1, 8);

  for (const period of ['this_week', 'this_month', 'last_30_days', 'all_time']) {
    const p = await app.call('GET', `/metrics/costs?period=${period}`);
    expect(p.status).toBe(200);
    expect(p.json).toMatchObject({ period, total_calls: 2 });
  }
  expect((await app.call('GET', '/metrics/costs?period=yesterday')).json.total_calls).toBe(0);
});

it('documents the endpoint in Swagger with an example', async () => {
  const doc = (await app.call('GET', '/docs-json', undefined, { auth: false })).json;
  const op = doc.paths['/metrics/costs'].get;
  expect(op.parameters.find((p: { name: string }) => p.name === 'period').schema.enum).toContain('last_30_days');
  expect(doc.components.schemas.CostReportDto.properties.by_operation.example).toHaveProperty('dte_validation');
});

it('answers 503 with Retry-After while Redis is down', async () => {
  await redis.stop();
  await waitFor(async () => (await app.call('GET', '/metrics/costs')).status === 503);
  const r = await app.call('GET', '/metrics/costs');
  expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(r.json.detail).toBeTruthy();
  await redis.restart();
});

describe('embedded mode (no Redis configured)', () => {
  it('keeps costs in process memory', async () => {
    const mem = await startApp({});
    try {
      await mem.app.get(CostRecorder).record(entry({ operation: 'dte_validation' }));
      const r = await mem.call('GET', '/metrics/costs?period=today');
      expect(r.status).toBe(200);
      expect(r.json.by_operation.dte_validation.calls).toBe(1);
    } finally {
      await mem.close();
    }
  });
});
