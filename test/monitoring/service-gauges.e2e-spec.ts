import { FaultStack, metricSum, metricsText, startFaultStack } from '../helpers/fault-stack';
import { waitFor } from '../helpers/ports';
import { startApp } from '../helpers/test-app';
import { odooCall } from '../validation/validation-helpers';

/** The gauges the alert rules and the dashboard need beside the counters (docs/monitoring/). */
describe('Service gauges on /metrics', () => {
  let stack: FaultStack;
  const metrics = () => metricsText(stack.svc);
  const has = (text: string, name: string, labels = '') => new RegExp(`^${name}\\{[^}]*${labels}`, 'm').test(text);

  beforeAll(async () => {
    stack = await startFaultStack({ LLM_DAILY_BUDGET_USD: '25', VALIDATION_LLM_TIMEOUT_MS: '300' });
  });
  afterAll(() => stack.close());

  it('reports readiness, Redis, the knowledge base and which providers have a key', async () => {
    const text = await metrics();
    expect(metricSum(text, 'service_ready')).toBe(1);
    expect(metricSum(text, 'store_up', { store: 'redis' })).toBe(1);
    expect(has(text, 'store_up', 'store="memory"')).toBe(false);
    expect(metricSum(text, 'store_ping_seconds', { store: 'redis' })).toBeGreaterThan(0);
    expect(metricSum(text, 'knowledge_base_documents')).toBeGreaterThan(10);
    expect(metricSum(text, 'llm_provider_configured', { provider: 'anthropic' })).toBe(1);
    expect(metricSum(text, 'llm_provider_configured', { provider: 'openai' })).toBe(1);
    expect(metricSum(text, 'nodejs_heap_size_limit_bytes')).toBeGreaterThan(100 * 2 ** 20);
    expect(text).toMatch(/^process_memory_limit_bytes \d+$/m);
  });

  it("exports the day's durable spend next to the configured budget, equal to /metrics/costs", async () => {
    expect((await stack.svc.call('POST', '/api/chat/message', { message: '¿Qué es un DTE 33?' })).status).toBe(200);
    const report = (await stack.svc.call('GET', '/metrics/costs?period=today')).json;
    expect(report.by_operation.chat.cost_usd).toBeGreaterThan(0);
    const text = await metrics();
    expect(metricSum(text, 'llm_daily_budget_usd')).toBe(25);
    expect(metricSum(text, 'llm_spend_usd', { period: 'today', operation: 'chat' })).toBeCloseTo(
      report.by_operation.chat.cost_usd,
      8,
    );
    expect(metricSum(text, 'llm_spend_usd', { period: 'this_month' })).toBeGreaterThanOrEqual(report.total_cost_usd);
    expect(metricSum(text, 'llm_spend_usd', { period: 'yesterday' })).toBe(0);
    const model = Object.keys(report.by_model)[0];
    expect(metricSum(text, 'llm_spend_by_model_usd', { period: 'today', model })).toBeCloseTo(
      report.by_model[model].cost_usd,
      8,
    );
    expect(metricSum(text, 'llm_spend_tokens', { period: 'today', operation: 'chat', type: 'input' })).toBe(
      report.by_operation.chat.input_tokens,
    );
  });

  it('counts a validation review past VALIDATION_LLM_TIMEOUT_MS as outcome="timeout"', async () => {
    const before = metricSum(await metrics(), 'dte_validation_llm_reviews_total', { outcome: 'timeout' });
    stack.anthropic.fault({ delayMs: 2000, times: 1 });
    const res = await stack.svc.call('POST', '/api/ai/validate', odooCall());
    expect(res.status).toBe(200);
    expect(res.json.llm_review).toBe('timeout');
    const after = metricSum(await metrics(), 'dte_validation_llm_reviews_total', { outcome: 'timeout' });
    expect(after - before).toBe(1);
  });

  it('while Redis is down: not ready, store down, spend absent (not stale), /metrics still answers', async () => {
    await stack.redis.stop();
    try {
      let text = '';
      await waitFor(async () => {
        text = await metrics();
        return metricSum(text, 'service_ready') === 0;
      }, 10_000);
      expect(metricSum(text, 'store_up', { store: 'redis' })).toBe(0);
      expect(has(text, 'store_ping_seconds')).toBe(false);
      expect(has(text, 'llm_spend_usd')).toBe(false);
      expect(metricSum(text, 'llm_daily_budget_usd')).toBe(25);
    } finally {
      await stack.redis.restart();
    }
    await waitFor(async () => has(await metrics(), 'llm_spend_usd', 'period="today"'), 15_000);
    expect(metricSum(await metrics(), 'store_up', { store: 'redis' })).toBe(1);
  });

  it('in memory mode the store is up as store="memory" (a Redis alert must not fire)', async () => {
    const memory = await startApp({});
    try {
      const text = (await memory.call('GET', '/metrics', undefined, { auth: false })).text;
      expect(metricSum(text, 'store_up', { store: 'memory' })).toBe(1);
      expect(has(text, 'store_up', 'store="redis"')).toBe(false);
      expect(metricSum(text, 'service_ready')).toBe(1);
      expect(metricSum(text, 'llm_provider_configured', { provider: 'anthropic' })).toBe(0);
    } finally {
      await memory.close();
    }
  });
});
