import { Logger } from '@nestjs/common';
import { SESSION_MAX_MESSAGES } from '../../src/store/session-records.port';
import { StoreAdapters } from '../../src/store/store-adapters';
import { sleep } from '../helpers/ports';
import { StoreBackends } from './store-backends';

/** The same behaviour is required of both implementations of every store port; Redis is a real server over TCP. */
let backends: StoreBackends;
beforeAll(async () => {
  Logger.overrideLogger(false);
  backends = await StoreBackends.start();
});
afterAll(() => backends.stop());

describe.each(['memory', 'redis'] as const)('%s store', (kind) => {
  let store: StoreAdapters;
  beforeAll(() => {
    store = backends.open(kind);
  });
  let n = 0;
  const id = (name: string) => `${kind}-${++n}-${name}`;
  const context = (entries: Record<string, string>) => new Map(Object.entries(entries));

  describe('session records', () => {
    it('creates a session once, with its record, and opens it with its last messages', async () => {
      const s = id('s');
      expect(await store.sessions.create(s, '2026-01-01T00:00:00Z', context({ company: '"ACME"' }))).toBe(true);
      expect(await store.sessions.create(s, '2026-01-02T00:00:00Z', context({}))).toBe(false);
      expect(await store.sessions.open(s, 5)).toEqual({
        record: {
          createdAt: '2026-01-01T00:00:00Z',
          lastActivity: '2026-01-01T00:00:00Z',
          messageCount: 0,
          context: context({ company: '"ACME"' }),
        },
        messages: [],
      });
      expect(await store.sessions.append(s, ['m1', 'm2', 'm3'], '2026-01-01T00:01:00Z')).toBe(true);
      const opened = await store.sessions.open(s, 2);
      expect(opened.messages).toEqual(['m2', 'm3']);
      expect(opened.record).toMatchObject({ messageCount: 3, lastActivity: '2026-01-01T00:01:00Z' });
      expect((await store.sessions.open(s, 0)).messages).toEqual([]);
      expect(await store.sessions.messages(s)).toEqual(['m1', 'm2', 'm3']);
    });

    it('lets exactly one of many concurrent creates under one id win', async () => {
      const s = id('race');
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.sessions.create(s, `t${i}`, context({}))),
      );
      expect(created.filter(Boolean)).toHaveLength(1);
    });

    it('writes nothing to a session that does not exist: no append or update brings one back', async () => {
      const s = id('gone');
      expect(await store.sessions.append(s, ['m'], 'now')).toBe(false);
      expect(await store.sessions.updateContext(s, context({ a: '1' }), [])).toBe(false);
      expect(await store.sessions.open(s, 10)).toEqual({ record: null, messages: [] });
      expect(await store.sessions.ttlSeconds(s)).toBe(-2);

      await store.sessions.create(s, 'then', context({}));
      await store.sessions.append(s, ['m'], 'then');
      expect(await store.sessions.delete(s)).toBe(true);
      expect(await store.sessions.delete(s)).toBe(false);
      expect(await store.sessions.append(s, ['late'], 'later')).toBe(false);
      expect(await store.sessions.updateContext(s, context({ a: '1' }), [])).toBe(false);
      expect(await store.sessions.open(s, 10)).toEqual({ record: null, messages: [] });
      expect(await store.sessions.messages(s)).toEqual([]);
      // A new session under the id starts empty.
      expect(await store.sessions.create(s, 'again', context({}))).toBe(true);
      expect(await store.sessions.open(s, 10)).toMatchObject({ record: { messageCount: 0 }, messages: [] });
    });

    it('keeps the last SESSION_MAX_MESSAGES messages and counts every one, without losing concurrent appends', async () => {
      const s = id('long');
      await store.sessions.create(s, 't', context({}));
      await Promise.all(
        Array.from({ length: SESSION_MAX_MESSAGES + 10 }, (_, i) => store.sessions.append(s, [`m${i}`], `t${i}`)),
      );
      const all = await store.sessions.messages(s);
      expect(all).toHaveLength(SESSION_MAX_MESSAGES);
      expect(all.at(-1)).toBe(`m${SESSION_MAX_MESSAGES + 9}`);
      expect((await store.sessions.open(s, 1)).record?.messageCount).toBe(SESSION_MAX_MESSAGES + 10);
    });

    it('writes and removes context keys while the session exists, even thousands at once', async () => {
      const s = id('ctx');
      const many = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`k${i}`, String(i)]));
      await store.sessions.create(s, 't', context({ keep: '"1"', ...many }));
      expect(await store.sessions.updateContext(s, context({ keep: '"2"', added: 'true' }), Object.keys(many))).toBe(
        true,
      );
      expect((await store.sessions.open(s, 0)).record?.context).toEqual(context({ keep: '"2"', added: 'true' }));
      expect(await store.sessions.updateContext(s, new Map(), ['added'])).toBe(true);
      expect((await store.sessions.open(s, 0)).record?.context).toEqual(context({ keep: '"2"' }));
    });

    it('expires a session CHAT_SESSION_TTL after its last use, each use starting the TTL again', async () => {
      const short = backends.open(kind, { sessionTtlSeconds: 3 });
      const s = id('ttl');
      await short.sessions.create(s, 't', context({}));
      expect(await short.sessions.ttlSeconds(s)).toBeGreaterThan(0);
      expect(await short.sessions.ttlSeconds(s)).toBeLessThanOrEqual(3);
      await sleep(1600);
      await short.sessions.append(s, ['m'], 't2'); // refreshes both
      await sleep(1600);
      expect(await short.sessions.open(s, 5)).toMatchObject({ messages: ['m'] }); // refreshes both
      await sleep(1600);
      expect(await short.sessions.messages(s)).toEqual(['m']);
      await sleep(2000);
      expect(await short.sessions.open(s, 5)).toEqual({ record: null, messages: [] });
      expect(await short.sessions.ttlSeconds(s)).toBe(-2);
    });
  });

  describe('window counters', () => {
    it('counts hits in a window that opens with the first hit and does not move', async () => {
      const c = id('w');
      const first = await store.counters.hit(c, 5000);
      expect(first.count).toBe(1);
      expect(first.msLeft).toBeGreaterThan(4000);
      const second = await store.counters.hit(c, 999_999);
      expect(second.count).toBe(2);
      expect(second.msLeft).toBeLessThanOrEqual(5000);
    });

    it('never loses a concurrent hit, and starts again once the window has passed', async () => {
      const c = id('burst');
      const hits = await Promise.all(Array.from({ length: 100 }, () => store.counters.hit(c, 400)));
      expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      await sleep(500);
      expect((await store.counters.hit(c, 400)).count).toBe(1);
    });
  });

  describe('cost ledger', () => {
    it('adds increments without losing concurrent updates, and lists the days it holds', async () => {
      const day = `2026-01-${String(++n % 28).padStart(2, '0')}-${kind}`;
      await Promise.all(Array.from({ length: 200 }, () => store.costLedger.add(day, { calls: 1, cost_micro: 250 })));
      expect({ ...(await store.costLedger.read(day)) }).toEqual({ calls: 200, cost_micro: 50000 });
      await store.costLedger.add(day, { calls: 1.9 });
      expect((await store.costLedger.read(day)).calls).toBe(201);
      expect({ ...(await store.costLedger.read(`${day}-none`)) }).toEqual({});
      expect(await store.costLedger.days(1000)).toContain(day);
      expect(await store.costLedger.days(1)).toHaveLength(1);
    });
  });

  describe('breaker state', () => {
    it('opens, counts failures, leases one probe and closes', async () => {
      const p = id('p');
      expect(await store.breakers.circuit(p)).toBeNull();
      expect(await store.breakers.countFailure(p, 60_000)).toBe(1);
      expect(await store.breakers.countFailure(p, 60_000)).toBe(2);
      expect(await store.breakers.claimProbe(p, 'a', 10)).toBe(true);
      await store.breakers.open(p, '{"openedAt":1,"until":2}', 60);
      expect(await store.breakers.circuit(p)).toBe('{"openedAt":1,"until":2}');
      expect(await store.breakers.countFailure(p, 60_000)).toBe(1); // open forgot the failures…
      expect(await store.breakers.claimProbe(p, 'b', 10)).toBe(true); // …and the probe
      expect(await store.breakers.claimProbe(p, 'c', 10)).toBe(false);
      await store.breakers.releaseProbe(p);
      expect(await store.breakers.claimProbe(p, 'd', 10)).toBe(true);
      await store.breakers.close(p);
      expect(await store.breakers.circuit(p)).toBeNull();
      expect(await store.breakers.countFailure(p, 60_000)).toBe(1);
      expect(await store.breakers.claimProbe(p, 'e', 10)).toBe(true);
    });

    it('lets the circuit, the failure count and the probe lapse with their TTLs', async () => {
      const p = id('lapse');
      await store.breakers.open(p, '{}', 1);
      await store.breakers.countFailure(p, 300);
      await store.breakers.claimProbe(p, 'a', 1);
      await sleep(1100);
      expect(await store.breakers.circuit(p)).toBeNull();
      expect(await store.breakers.countFailure(p, 300)).toBe(1);
      expect(await store.breakers.claimProbe(p, 'b', 1)).toBe(true);
    });
  });

  describe('SII news', () => {
    it('lets one run claim an item; only that run gives it back, and saving marks it seen', async () => {
      const f = id('fp');
      expect(await store.siiNews.isSeen(f)).toBe(false);
      expect(await store.siiNews.claim(f, 'run-a', 600)).toBe(true);
      expect(await store.siiNews.claim(f, 'run-b', 600)).toBe(false);
      expect(await store.siiNews.isSeen(f)).toBe(true);
      await store.siiNews.release(f, 'run-b');
      expect(await store.siiNews.claim(f, 'run-b', 600)).toBe(false);
      await store.siiNews.release(f, 'run-a');
      expect(await store.siiNews.isSeen(f)).toBe(false);
      expect(await store.siiNews.claim(f, 'run-b', 600)).toBe(true);
      await store.siiNews.save(f, `${f}-id`, '{"id":1}');
      await store.siiNews.release(f, 'run-b'); // saved: no longer a claim to give back
      expect(await store.siiNews.isSeen(f)).toBe(true);
      expect(await store.siiNews.claim(f, 'run-c', 600)).toBe(false);
    });

    it('lets a claim lapse with its lease', async () => {
      const f = id('lease');
      await store.siiNews.claim(f, 'run-a', 1);
      await sleep(1100);
      expect(await store.siiNews.claim(f, 'run-b', 600)).toBe(true);
    });

    it('lists the newest records first and keeps the last 500 in the index', async () => {
      const sii = backends.open(kind);
      const tag = id('news');
      for (let i = 0; i < 505; i++) await sii.siiNews.save(`${tag}-f${i}`, `${tag}-${i}`, `{"i":${i}}`);
      const { records, total } = await sii.siiNews.latest(3);
      expect(records).toEqual(['{"i":504}', '{"i":503}', '{"i":502}']);
      expect(total).toBe(500);
    });

    it('keeps the last run and lets one owner hold the schedule lock', async () => {
      await store.siiNews.saveRun('{"run":1}');
      expect(await store.siiNews.lastRun()).toBe('{"run":1}');
      expect(await store.siiNews.acquireLock('a', 1)).toBe(true);
      expect(await store.siiNews.acquireLock('b', 1)).toBe(false);
      await store.siiNews.holdLock('b', 60); // not b's: no effect
      await store.siiNews.holdLock('a', 3);
      await sleep(1100);
      expect(await store.siiNews.acquireLock('b', 1)).toBe(false);
      await store.siiNews.holdLock('a', 1);
      await sleep(1100);
      expect(await store.siiNews.acquireLock('b', 60)).toBe(true);
    });
  });

  describe('response cache and health', () => {
    it('serves a cached value back, and reports itself ready', async () => {
      const key = `cache:${id('c')}`;
      await store.responseCache.set(key, { verdict: 'send' }, 60);
      expect(await store.responseCache.get(key)).toEqual({ verdict: 'send' });
      expect(await store.responseCache.get(`cache:${id('none')}`)).toBeUndefined();
      expect(store.health.ready()).toBe(true);
      expect(await store.health.probe(500)).toEqual(
        kind === 'redis' ? { status: 'up', latency_ms: expect.any(Number) } : { status: 'memory', latency_ms: null },
      );
    });
  });
});
