import { Logger } from '@nestjs/common';
import { StoreUnavailableError } from '../../src/common/domain-error';
import { KEYS } from '../../src/store/redis/redis-keys';
import { StoreAdapters } from '../../src/store/store-adapters';
import { waitFor } from '../helpers/ports';
import { StoreBackends } from './store-backends';

/** What only the Redis adapters can show: the key layout operators see, a full Redis, an outage. */
let backends: StoreBackends;
let store: StoreAdapters;
beforeAll(async () => {
  Logger.overrideLogger(false);
  backends = await StoreBackends.start();
  store = backends.open('redis');
});
afterAll(() => backends.stop());

const cli = (...args: string[]) => backends.redis.cli('-n', '1', ...args);
const usedMemory = () => Number(/used_memory:(\d+)/.exec(backends.redis.cli('INFO', 'memory'))![1]);

describe('redis key layout (docs/architecture.md §7)', () => {
  it('writes every port under its documented key, type and TTL', async () => {
    await store.sessions.create('layout', 't0', new Map([['company', '"ACME"']]));
    await store.sessions.append('layout', ['{"role":"user"}'], 't1');
    expect(cli('HGETALL', 'chat:session:layout:context').split('\n')).toEqual([
      'created_at',
      't0',
      'last_activity',
      't1',
      'message_count',
      '1',
      'uc:company',
      '"ACME"',
    ]);
    expect(cli('LRANGE', 'chat:session:layout:history', '0', '-1')).toBe('{"role":"user"}');
    expect(Number(cli('TTL', 'chat:session:layout:history'))).toBeGreaterThan(590);

    await store.costLedger.add('2026-11-24', { 'op:chat:calls': 2 });
    expect(cli('HGET', 'cost_tracker:day:2026-11-24', 'op:chat:calls')).toBe('2');
    expect(Number(cli('TTL', 'cost_tracker:day:2026-11-24'))).toBeGreaterThan(399 * 86_400);

    await store.counters.hit('default:key:abc', 60_000);
    expect(cli('GET', 'ratelimit:default:key:abc')).toBe('1');
    expect(Number(cli('PTTL', 'ratelimit:default:key:abc'))).toBeGreaterThan(59_000);

    await store.breakers.countFailure('anthropic', 60_000);
    await store.breakers.claimProbe('anthropic', '123', 5);
    expect(cli('GET', 'llm:breaker:anthropic:failures')).toBe('1');
    expect(cli('GET', 'llm:breaker:anthropic:probe')).toBe('123');
    await store.breakers.open('anthropic', '{"openedAt":1}', 3700);
    expect(cli('GET', 'llm:breaker:anthropic')).toBe('{"openedAt":1}');
    expect(cli('EXISTS', 'llm:breaker:anthropic:failures', 'llm:breaker:anthropic:probe')).toBe('0');

    await store.siiNews.claim('f1', 'run-1', 600);
    expect(cli('GET', 'sii:seen:f1')).toBe('claim:run-1');
    await store.siiNews.save('f1', 'id1', '{"id":"id1"}');
    expect(cli('GET', 'sii:seen:f1')).toBe('1');
    expect(cli('GET', 'sii:news:id1')).toBe('{"id":"id1"}');
    expect(cli('LRANGE', 'sii:news', '0', '-1')).toBe('id1');
    expect(Number(cli('TTL', 'sii:seen:f1'))).toBeGreaterThan(399 * 86_400);
    await store.siiNews.saveRun('{}');
    await store.siiNews.acquireLock('me', 600);
    expect(cli('GET', 'sii:last_run')).toBe('{}');
    expect(cli('GET', 'sii:lock')).toBe('me');
  });
});

describe('redis store at maxmemory (noeviction, as deployed)', () => {
  afterAll(() => {
    backends.redis.cli('CONFIG', 'SET', 'maxmemory', '0');
    cli('FLUSHDB');
  });

  it('refuses a write that would grow memory as a whole, even when it starts by deleting', async () => {
    await store.sessions.create('full-old', 't', new Map());
    backends.redis.cli('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    backends.redis.cli('CONFIG', 'SET', 'maxmemory', String(usedMemory() + 256 * 1024));
    const big = 'x'.repeat(60_000);
    const fills: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++)
      fills.push(store.sessions.create(`fill-${i}`, 't', new Map([['big', big]])).catch((e) => e));
    await Promise.all(fills);
    const before = usedMemory();

    // A create deletes what an older session left before it writes: refused whole, as an outage (503
    // upstream), with Redis's own OOM reply as the cause.
    const refused = await store.sessions.create('full-new', 't', new Map([['big', big]])).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect(String((refused as StoreUnavailableError).extra.cause)).toMatch(/OOM/);
    expect(await store.sessions.ttlSeconds('full-new')).toBe(-2);
    await expect(store.sessions.append('full-old', [big], 't')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.siiNews.save('full-f', 'full-id', big)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.sessions.messages('full-old')).toEqual([]);
    expect(cli('EXISTS', KEYS.memoryGate, 'sii:news:full-id', 'sii:seen:full-f')).toBe('0');
    expect(usedMemory()).toBeLessThan(before + 60_000);
    // Reads, TTL refreshes and deletes still work: that is how a full Redis drains.
    expect((await store.sessions.open('full-old', 10)).record).not.toBeNull();
    expect(await store.sessions.delete('full-old')).toBe(true);
  });
});

describe('redis store during an outage', () => {
  it('fails fast with StoreUnavailableError while Redis is down and recovers without a new client', async () => {
    await store.sessions.create('outage-before', 't', new Map());
    await backends.redis.stop();
    await waitFor(() => !store.health.ready(), 5000);
    const started = Date.now();
    await expect(store.sessions.open('outage-before', 1)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.sessions.append('outage-before', ['x'], 't')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.counters.hit('outage', 1000)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.costLedger.add('2026-01-01', { calls: 1 })).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(200);
    expect(await store.health.probe(500)).toEqual({ status: 'down', latency_ms: null });

    await backends.redis.restart();
    await waitFor(() => store.health.ready(), 10000);
    expect(await store.sessions.create('outage-after', 't', new Map())).toBe(true);
    expect((await store.sessions.open('outage-after', 0)).record).not.toBeNull();
  });
});
