import { Logger } from '@nestjs/common';
import { StoreUnavailableError } from '../../src/common/domain-error';
import { CostService } from '../../src/cost/cost.service';
import { CostLedgerStore } from '../../src/store/cost-ledger-store.port';
import { StoreAdapters } from '../../src/store/store-adapters';
import { waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { closeStore, costService, entry, ManualClock, redisStore } from './cost-helpers';

/** Redis outages: record() never throws, nothing is lost, nothing is counted twice. */
let redis: TestRedis;
let store: StoreAdapters;
const services: CostService[] = [];
const clock = new ManualClock(new Date('2026-11-25T15:00:00Z'));

function make(s: CostLedgerStore = store.costLedger, env: Record<string, string> = {}) {
  const { service } = costService(s, clock, env);
  services.push(service);
  return service;
}

beforeAll(async () => {
  Logger.overrideLogger(false);
  redis = await TestRedis.start();
  store = await redisStore(redis.url());
});
afterAll(async () => {
  for (const s of services) await s.beforeApplicationShutdown();
  await closeStore(store);
  await redis.stop();
});
beforeEach(async () => {
  await redis.restart();
  await waitFor(() => store.health.ready());
  redis.cli('-n', '1', 'FLUSHDB');
});

it('keeps costs recorded while Redis is down and writes them once it is back', async () => {
  const costs = make();
  await costs.record(entry());
  await redis.stop();
  await waitFor(() => !store.health.ready());

  const started = Date.now();
  const usd = await Promise.all(
    Array.from({ length: 25 }, (_, i) => costs.record(entry({ usage: { input_tokens: 1000 + i } }))),
  );
  expect(Date.now() - started).toBeLessThan(2500);
  expect(usd.every((x) => x > 0)).toBe(true);
  expect(costs.pendingCalls()).toBe(25);
  await expect(costs.report('today')).rejects.toBeInstanceOf(StoreUnavailableError);

  // The test server keeps no data across restarts: what is counted afterwards is what was pending.
  await redis.restart();
  await waitFor(() => store.health.ready());
  // The report flushes what this replica holds before reading.
  const r = await costs.report('today');
  expect(costs.pendingCalls()).toBe(0);
  expect(r.total_calls).toBe(25);
  expect(r.total_input_tokens).toBe(25 * 1000 + (24 * 25) / 2);
  expect(r.total_cost_usd).toBeCloseTo(
    usd.reduce((s, x) => s + x, 0),
    8,
  );
});

it('does not count a batch twice when the reply of a write that landed is lost', async () => {
  // A store whose next write reaches Redis but whose reply never comes back (Redis died mid-reply).
  let loseNextReply = true;
  const flaky: CostLedgerStore = Object.create(store.costLedger, {
    add: {
      value: async (...args: Parameters<CostLedgerStore['add']>) => {
        await store.costLedger.add(...args);
        if (loseNextReply) {
          loseNextReply = false;
          throw new StoreUnavailableError(new Error('reply lost'));
        }
      },
    },
  });
  const costs = make(flaky);
  await costs.record(entry());
  expect(costs.pendingCalls()).toBe(1);
  expect(await costs.flushPending()).toBe(true);
  await costs.record(entry());
  const r = await costs.report('today');
  expect(r.total_calls).toBe(2);
});

it('does not count twice when Redis lost its data before a write whose reply is lost', async () => {
  let loseNextReply = false;
  const flaky: CostLedgerStore = Object.create(store.costLedger, {
    add: {
      value: async (...args: Parameters<CostLedgerStore['add']>) => {
        await store.costLedger.add(...args);
        if (loseNextReply) {
          loseNextReply = false;
          throw new StoreUnavailableError(new Error('reply lost'));
        }
      },
    },
  });
  const costs = make(flaky);
  await costs.record(entry());
  await costs.record(entry());
  redis.cli('-n', '1', 'FLUSHDB'); // a restart without persistence, unnoticed by the client
  loseNextReply = true;
  await costs.record(entry());
  expect(costs.pendingCalls()).toBe(1);
  expect(await costs.flushPending()).toBe(true);
  expect((await costs.report('today')).total_calls).toBe(1);
});

it('writes a batch again when the failed write did not land', async () => {
  let failNext = true;
  const flaky: CostLedgerStore = Object.create(store.costLedger, {
    add: {
      value: async (...args: Parameters<CostLedgerStore['add']>) => {
        if (failNext) {
          failNext = false;
          throw new StoreUnavailableError(new Error('connection reset'));
        }
        return store.costLedger.add(...args);
      },
    },
  });
  const costs = make(flaky);
  await costs.record(entry());
  await costs.record(entry());
  await waitFor(() => costs.pendingCalls() === 0, 10_000);
  expect((await costs.report('today')).total_calls).toBe(2);
});
