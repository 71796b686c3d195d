import { Logger } from '@nestjs/common';
import { CostService } from '../../src/cost/cost.service';
import { StoreAdapters } from '../../src/store/store-adapters';
import { TestRedis } from '../helpers/redis-server';
import { closeStore, costService, entry, ManualClock, redisStore } from './cost-helpers';

/** CostService against a real redis-server: sums, day boundaries, replicas, reservations. */
let redis: TestRedis;
let storeA: StoreAdapters;
let storeB: StoreAdapters;
const services: CostService[] = [];
const clock = new ManualClock(new Date('2026-11-25T15:00:00Z'));

function make(store: StoreAdapters, env: Record<string, string> = {}) {
  const { service } = costService(store.costLedger, clock, env);
  services.push(service);
  return service;
}

beforeAll(async () => {
  Logger.overrideLogger(false);
  redis = await TestRedis.start();
  storeA = await redisStore(redis.url());
  storeB = await redisStore(redis.url());
});
afterAll(async () => {
  for (const s of services) await s.beforeApplicationShutdown();
  await closeStore(storeA);
  await closeStore(storeB);
  await redis.stop();
});
beforeEach(() => {
  redis.cli('-n', '1', 'FLUSHDB');
  clock.set('2026-11-25T15:00:00Z');
});

describe('cost counters by period', () => {
  it('sums over periods and across Chilean day boundaries', async () => {
    const costs = make(storeA);
    // Wednesday 2026-11-25 is "today". Santiago is UTC−3 in November.
    const at = async (iso: string, calls: number, op: 'chat' | 'dte_validation' = 'chat') => {
      clock.set(iso);
      for (let i = 0; i < calls; i++) await costs.record(entry({ operation: op }));
    };
    await at('2026-11-25T12:00:00Z', 2); // today
    await at('2026-11-25T02:59:59Z', 3, 'dte_validation'); // 23:59:59 local on the 24th: yesterday
    await at('2026-11-23T03:00:00Z', 1); // Monday 00:00 local: this week
    await at('2026-11-22T20:00:00Z', 4); // Sunday: last week, this month
    await at('2026-10-27T12:00:00Z', 5); // 29 days ago: last 30 days
    await at('2026-10-26T12:00:00Z', 6); // 30 days ago: only all_time
    clock.set('2026-11-25T15:00:00Z');

    const calls = async (period: Parameters<CostService['report']>[0]) => (await costs.report(period)).total_calls;
    expect(await calls('today')).toBe(2);
    expect(await calls('yesterday')).toBe(3);
    expect(await calls('this_week')).toBe(2 + 3 + 1);
    expect(await calls('this_month')).toBe(2 + 3 + 1 + 4);
    expect(await calls('last_30_days')).toBe(2 + 3 + 1 + 4 + 5);
    const all = await costs.report('all_time');
    expect(all).toMatchObject({ total_calls: 21, from: '2026-10-26', to: '2026-11-25' });

    const yesterday = await costs.report('yesterday');
    expect(yesterday).toMatchObject({ from: '2026-11-24', to: '2026-11-24' });
    expect(yesterday.by_operation.dte_validation.calls).toBe(3);
    expect(yesterday.by_operation.chat.calls).toBe(0);
    // The key layout operators see with redis-cli.
    expect(redis.cli('-n', '1', 'HGET', 'cost_tracker:day:2026-11-24', 'op:dte_validation:calls')).toBe('3');
    expect(Number(redis.cli('-n', '1', 'TTL', 'cost_tracker:day:2026-11-24'))).toBeGreaterThan(399 * 86_400);
  });

  it('prices and totals tokens, cache tokens and cost exactly', async () => {
    const costs = make(storeA);
    const usd1 = await costs.record(
      entry({ usage: { input_tokens: 200, output_tokens: 300, cache_read_tokens: 8000, cache_write_tokens: 1500 } }),
    );
    const usd2 = await costs.record(
      entry({
        provider: 'openai',
        model: 'gpt-4.1-mini-2025-04-14',
        operation: 'dte_validation',
        outcome: 'error',
        usage: { input_tokens: 1000, output_tokens: 100, cache_read_tokens: 4000 },
      }),
    );
    expect(usd1).toBeCloseTo((200 * 3 + 300 * 15 + 8000 * 0.3 + 1500 * 3.75) / 1e6, 10);
    expect(usd2).toBeCloseTo((1000 * 0.4 + 100 * 1.6 + 4000 * 0.1) / 1e6, 10);

    const r = await costs.report('today');
    expect(r.total_cost_usd).toBeCloseTo(usd1 + usd2, 10);
    expect(r).toMatchObject({
      total_calls: 2,
      total_input_tokens: 1200,
      total_output_tokens: 400,
      total_cache_read_tokens: 12000,
      total_cache_write_tokens: 1500,
      by_outcome: { success: 1, error: 1 },
    });
    expect(r.cache_hit_rate).toBeCloseTo(12000 / (12000 + 1500 + 1200), 4);
    expect(r.by_model['gpt-4.1-mini-2025-04-14']).toMatchObject({ calls: 1, input_tokens: 1000 });
    expect(r.by_provider.anthropic.cost_usd).toBeCloseTo(usd1, 10);
  });

  it('counts an unknown model at the dearest price and warns once', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const costs = make(storeA);
    await costs.record(entry({ model: 'my-local-llama', usage: { input_tokens: 1_000_000 } }));
    await costs.record(entry({ model: 'my-local-llama', usage: { input_tokens: 1_000_000 } }));
    const r = await costs.report('today');
    expect(r.by_model['my-local-llama']).toMatchObject({ calls: 2, cost_usd: 30 });
    const warnings = warn.mock.calls.filter(([m]) => (m as { event?: string })?.event === 'cost_unknown_model');
    expect(warnings).toHaveLength(1);
    warn.mockRestore();
  });

  it('keeps warning about new unknown models after 200 others, once each', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const costs = make(storeA);
    for (let i = 0; i <= 200; i++) costs.price(`local-model-${i}`, entry().usage);
    costs.price('local-model-200', entry().usage);
    const warned = warn.mock.calls
      .map(([m]) => m as { event?: string; model?: string })
      .filter((m) => m?.event === 'cost_unknown_model')
      .map((m) => m.model);
    expect(warned).toHaveLength(201);
    expect(warned.at(-1)).toBe('local-model-200');
    warn.mockRestore();
  });

  it('applies LLM_PRICING_JSON overrides', async () => {
    const costs = make(storeA, { LLM_PRICING_JSON: '{"my-local-llama": {"input": 0, "output": 0}}' });
    expect(await costs.record(entry({ model: 'my-local-llama' }))).toBe(0);
  });
});

describe('several replicas', () => {
  it('loses nothing with 200 parallel records on two instances sharing one Redis', async () => {
    const a = make(storeA);
    const b = make(storeB);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (i % 2 ? a : b).record(
          entry({
            operation: i % 3 ? 'chat' : 'dte_validation',
            usage: { input_tokens: 100 + i, output_tokens: i, cache_read_tokens: 7 },
          }),
        ),
      ),
    );
    const expectedUsd = results.reduce((s, x) => s + x, 0);
    for (const service of [a, b]) {
      const r = await service.report('today');
      expect(r.total_calls).toBe(200);
      expect(r.total_input_tokens).toBe(200 * 100 + (199 * 200) / 2);
      expect(r.total_output_tokens).toBe((199 * 200) / 2);
      expect(r.total_cache_read_tokens).toBe(1400);
      expect(r.total_cost_usd).toBeCloseTo(expectedUsd, 8);
      expect(r.by_operation.dte_validation.calls + r.by_operation.chat.calls).toBe(200);
    }
  });
});
