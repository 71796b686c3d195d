import { createRedisClient } from '../../src/store/redis-client.factory';
import { MemoryStore } from '../../src/store/memory.store';
import { MEMORY_GATE_KEY } from '../../src/store/redis-batch';
import { RedisStore } from '../../src/store/redis.store';
import { KeyValueStore } from '../../src/store/store.port';
import { StoreUnavailableError } from '../../src/common/domain-error';
import { TestRedis } from '../helpers/redis-server';
import { sleep, waitFor } from '../helpers/ports';

/** The same behaviour is required of both implementations; Redis is a real server over TCP. */
let redis: TestRedis;
let redisStore: RedisStore;
const memoryStore = new MemoryStore();

beforeAll(async () => {
  redis = await TestRedis.start();
  redisStore = new RedisStore(createRedisClient(redis.url()));
  await waitFor(() => redisStore.isReady());
});
afterAll(async () => {
  await redisStore.client.quit().catch(() => undefined);
  memoryStore.close();
  await redis.stop();
});

describe.each([
  ['memory', () => memoryStore as KeyValueStore],
  ['redis', () => redisStore as KeyValueStore],
])('%s store', (_name, store) => {
  let n = 0;
  const key = (k: string) => `t:${_name}:${++n}:${k}`;

  it('sets, gets and expires strings', async () => {
    const k = key('s');
    await store().set(k, 'v', 1);
    expect(await store().get(k)).toBe('v');
    expect(await store().ttl(k)).toBeGreaterThan(0);
    await sleep(1100);
    expect(await store().get(k)).toBeNull();
    expect(await store().ttl(k)).toBe(-2);
  });

  it('setIfAbsent creates once', async () => {
    const k = key('nx');
    expect(await store().setIfAbsent(k, 'a', 10)).toBe(true);
    expect(await store().setIfAbsent(k, 'b', 10)).toBe(false);
    expect(await store().get(k)).toBe('a');
  });

  it('appends to a list atomically, keeping the last maxLength under a TTL', async () => {
    const k = key('list');
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => store().listAppend(k, [`m${i}`], { maxLength: 1000, ttlSeconds: 60 })),
    );
    expect(await store().listLength(k)).toBe(100);
    expect(new Set(await store().listRange(k, 0, -1)).size).toBe(100);
    await store().listAppend(k, ['x', 'y'], { maxLength: 5, ttlSeconds: 30 });
    expect(await store().listRange(k, 0, -1)).toEqual(['m97', 'm98', 'm99', 'x', 'y']);
    expect(await store().listRange(k, -2, -1)).toEqual(['x', 'y']);
    expect(await store().ttl(k)).toBeLessThanOrEqual(30);
  });

  it('refreshes TTLs of several keys at once and ignores missing ones', async () => {
    const a = key('a');
    await store().set(a, '1', 5);
    await store().expire([a, key('missing')], 100);
    expect(await store().ttl(a)).toBeGreaterThan(50);
    expect(await store().exists(key('missing'))).toBe(false);
  });

  it('increments hash fields without losing concurrent updates', async () => {
    const k = key('h');
    await Promise.all(Array.from({ length: 200 }, () => store().hashIncrBy(k, { calls: 1, cost_micro: 250 }, 60)));
    expect(await store().hashGetAll(k)).toEqual({ calls: '200', cost_micro: '50000' });
    await store().hashSet(k, { note: 'x' });
    expect((await store().hashGetAll(k)).note).toBe('x');
  });

  it('runs a batch in order, atomically, with Redis results', async () => {
    const h = key('bh');
    const l = key('bl');
    await store().hashSet(h, { created: 'a', count: '2' });
    await store().listAppend(l, ['1', '2', '3']);
    const results = await store().batch([
      { op: 'hGetAll', key: h },
      { op: 'expire', key: h, ttlSeconds: 60 },
      { op: 'expire', key: key('missing'), ttlSeconds: 60 },
      { op: 'rPush', key: l, values: ['4', '5'] },
      { op: 'lTrim', key: l, start: -4, stop: -1 },
      { op: 'lRange', key: l, start: -3, stop: -1 },
      { op: 'hIncrBy', key: h, field: 'count', by: 3 },
      { op: 'hSet', key: h, fields: { last: 'z', created: 'b' } },
      { op: 'hGetAll', key: key('none') },
      { op: 'lRange', key: key('none'), start: 0, stop: -1 },
    ]);
    expect(results).toEqual([{ created: 'a', count: '2' }, true, false, 5, 'OK', ['3', '4', '5'], 5, 1, {}, []]);
    expect(await store().hashGetAll(h)).toEqual({ created: 'b', count: '5', last: 'z' });
    expect(await store().listRange(l, 0, -1)).toEqual(['2', '3', '4', '5']);
    expect(await store().ttl(h)).toBeGreaterThan(50);
    expect(await store().ttl(l)).toBe(-1);
    expect(await store().exists(key('missing'))).toBe(false);
    expect(await store().batch([])).toEqual([]);
  });

  it('stops a batch at a failed requirement: check-and-write in one atomic step', async () => {
    const h = key('rq');
    const l = key('rql');
    const append = () =>
      store().batch([
        { op: 'requireField', key: h, field: 'created_at', present: true },
        { op: 'rPush', key: l, values: ['m'] },
        { op: 'hIncrBy', key: h, field: 'n', by: 1 },
      ]);
    expect(await append()).toEqual([false, null, null]);
    expect(await store().exists(h)).toBe(false);
    expect(await store().exists(l)).toBe(false);
    await store().hashSet(h, { created_at: 'now', a: '1', b: '2' });
    expect(await append()).toEqual([true, 1, 1]);

    const createOnce = () =>
      store().batch([
        { op: 'requireField', key: h, field: 'created_at', present: false },
        { op: 'del', key: l },
        { op: 'hSet', key: h, fields: { created_at: 'again' } },
      ]);
    expect(await createOnce()).toEqual([false, null, null]);
    expect(await store().batch([{ op: 'hDel', key: h, fields: ['a', 'b', 'zz'] }])).toEqual([2]);
    expect(await store().hashGetAll(h)).toEqual({ created_at: 'now', n: '1' });
    expect(
      await store().batch([
        { op: 'del', key: l },
        { op: 'del', key: l },
      ]),
    ).toEqual([1, 0]);
    const s = key('rqs');
    expect(
      await store().batch([
        { op: 'set', key: s, value: 'v', ttlSeconds: 60 },
        { op: 'set', key: `${s}:plain`, value: 'w' },
      ]),
    ).toEqual(['OK', 'OK']);
    expect([await store().get(s), await store().get(`${s}:plain`)]).toEqual(['v', 'w']);
    expect(await store().ttl(s)).toBeGreaterThan(50);
    expect(await store().ttl(`${s}:plain`)).toBe(-1);
  });

  it('batches never interleave with each other', async () => {
    const h = key('bc');
    await Promise.all(
      Array.from({ length: 50 }, () =>
        store().batch([
          { op: 'hIncrBy', key: h, field: 'n', by: 1 },
          { op: 'hIncrBy', key: h, field: 'm', by: 2 },
        ]),
      ),
    );
    expect(await store().hashGetAll(h)).toEqual({ n: '50', m: '100' });
  });

  it('counts windows with incrBy and a TTL set only on creation', async () => {
    const k = key('w');
    const first = await store().incrBy(k, 1, 5000);
    expect(first.value).toBe(1);
    expect(first.ttlMs).toBeGreaterThan(4000);
    const second = await store().incrBy(k, 2, 999999);
    expect(second.value).toBe(3);
    expect(second.ttlMs).toBeLessThanOrEqual(5000);
  });

  it('scans keys by glob pattern', async () => {
    const prefix = key('scan');
    await store().set(`${prefix}:one`, '1');
    await store().set(`${prefix}:two`, '2');
    await store().set(`${prefix}x:three`, '3');
    expect((await store().scanKeys(`${prefix}:*`)).sort()).toEqual([`${prefix}:one`, `${prefix}:two`]);
    expect(await store().del(`${prefix}:one`, `${prefix}:two`)).toBe(2);
  });
});

describe('redis store at maxmemory (noeviction, as deployed)', () => {
  afterAll(() => {
    redis.cli('CONFIG', 'SET', 'maxmemory', '0');
    redis.cli('-n', '1', 'FLUSHDB');
  });

  it('refuses a batch that would grow memory as a whole, even when it starts with DEL or EXPIRE', async () => {
    const used = Number(/used_memory:(\d+)/.exec(redis.cli('INFO', 'memory'))![1]);
    redis.cli('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    redis.cli('CONFIG', 'SET', 'maxmemory', String(used + 256 * 1024));
    const big = 'x'.repeat(60_000);
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) writes.push(redisStore.set(`full:s${i}`, big).catch((e) => e));
    await Promise.all(writes);
    const before = Number(/used_memory:(\d+)/.exec(redis.cli('INFO', 'memory'))![1]);

    const growing = redisStore.batch([
      { op: 'del', key: 'full:old' },
      { op: 'expire', key: 'full:s0', ttlSeconds: 60 },
      { op: 'hSet', key: 'full:h', fields: { big } },
    ]);
    // Refused whole, as an outage (503 upstream), with Redis's own OOM reply as the cause.
    const refused = await growing.catch((e: StoreUnavailableError) => e);
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect(String((refused as StoreUnavailableError).extra.cause)).toMatch(/OOM/);
    expect(await redisStore.exists('full:h')).toBe(false);
    expect(redis.cli('-n', '1', 'EXISTS', MEMORY_GATE_KEY)).toBe('0');
    expect(Number(/used_memory:(\d+)/.exec(redis.cli('INFO', 'memory'))![1])).toBeLessThan(before + 60_000);
    // Reads, TTL refreshes and deletes still work: that is how a full Redis drains.
    expect(await redisStore.batch([{ op: 'expire', key: 'full:s0', ttlSeconds: 60 }])).toEqual([true]);
    expect(await redisStore.batch([{ op: 'del', key: 'full:s0' }])).toEqual([1]);
  });
});

describe('redis store during an outage', () => {
  it('fails fast with StoreUnavailableError while Redis is down and recovers without a new client', async () => {
    await redisStore.set('outage:before', '1');
    await redis.stop();
    await waitFor(() => !redisStore.isReady(), 5000);
    const started = Date.now();
    await expect(redisStore.get('outage:before')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(redisStore.listAppend('outage:l', ['x'])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(200);

    await redis.restart();
    await waitFor(() => redisStore.isReady(), 10000);
    await redisStore.set('outage:after', '2');
    expect(await redisStore.get('outage:after')).toBe('2');
  });
});
