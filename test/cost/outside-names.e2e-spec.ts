import { FakeAnthropic } from '../fakes/fake-anthropic';
import { assertNoPrototypePollution } from '../helpers/fuzz-checks';
import { waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { RunningApp, startApp } from '../helpers/test-app';

/**
 * Names that come from outside (a provider's model name, what Odoo sends) are keys of maps in the
 * cost sums and the prompt tables. A provider answering with the model name `__proto__` or
 * `constructor` must be counted like any other model and must not reach Object.prototype (the app
 * runs in this process, so a pollution would show here). Through the real SDK and the fake server.
 */
describe.each(['__proto__', 'constructor', 'toString'])('a provider whose model is named %s', (model) => {
  let redis: TestRedis;
  let anthropic: FakeAnthropic;
  let svc: RunningApp;

  beforeAll(async () => {
    [redis, anthropic] = await Promise.all([TestRedis.start(), FakeAnthropic.start()]);
    svc = await startApp({
      REDIS_URL: redis.url(),
      ANTHROPIC_API_KEY: 'sk-ant-names',
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_MODEL: model,
      LLM_MAX_RETRIES: '0',
    });
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200, 15_000);
  });
  afterAll(async () => {
    await svc?.close();
    await Promise.all([anthropic?.close(), redis?.stop()]);
  });

  it('is priced, counted under its own name in /metrics/costs, and pollutes nothing', async () => {
    const turn = await svc.call('POST', '/api/chat/message', { message: '¿Qué es una nota de crédito?' });
    expect(turn.status).toBe(200);
    expect(turn.json.llm_used).toBe('anthropic');
    expect(anthropic.lastRequest!.body.model).toBe(model);
    expect(turn.json.cost_usd).toBeGreaterThan(0);

    let report: any;
    await waitFor(async () => {
      report = (await svc.call('GET', '/metrics/costs?period=today')).json;
      return report?.total_calls >= 1;
    });
    assertNoPrototypePollution();
    expect(Object.hasOwn(report.by_model, model)).toBe(true);
    expect(report.by_model[model]).toMatchObject({ calls: 1, cost_usd: turn.json.cost_usd });
    expect(report.total_cost_usd).toBe(turn.json.cost_usd);
  });
});
