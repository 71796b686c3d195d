import { existsSync } from 'node:fs';
import { FakeAnthropic, RecordedRequest } from '../fakes/fake-anthropic';
import { send, SIGTERM_KEY } from '../faults/sigterm-helpers';
import { waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { DIST_MAIN, ServiceProcess } from '../helpers/service-process';
import { FakeSiiSite, SII_ITEMS_PER_PAGE } from './sii-site';

const PAGE = '/normativa_legislacion/circulares/2025/indcir2025.htm';
const ITEMS = SII_ITEMS_PER_PAGE[PAGE];

const analyst = (req: RecordedRequest) => {
  const title = /Título: ([^\\]+)/.exec(JSON.stringify(req.body.messages))?.[1] ?? '';
  return JSON.stringify({
    summary: `Resumen: ${title}`,
    affected: ['contribuyentes'],
    urgency: 'low',
    action: 'Leer.',
  });
};

/**
 * SII items are claimed with a short lease and marked seen only once their analysis is saved.
 * Found by reading: the 400-day "seen" key was written at claim time, so a SIGTERM, crash or
 * Redis error between the claim and the save lost the publication for good. Compiled service.
 */
describe('SII monitoring across a stop in the middle of a run (compiled service)', () => {
  let redis: TestRedis;
  let site: FakeSiiSite;
  let anthropic: FakeAnthropic;
  let svc: ServiceProcess | undefined;

  const spawn = async (env: Record<string, string> = {}) => {
    svc = await ServiceProcess.spawn({
      AI_SERVICE_API_KEY: SIGTERM_KEY,
      REDIS_URL: redis.url(),
      ANTHROPIC_API_KEY: 'sk-ant-sii',
      ANTHROPIC_BASE_URL: anthropic.url,
      SII_NEWS_URLS: site.url(PAGE),
      SII_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
      SHUTDOWN_GRACE_MS: '3000',
      LLM_TIMEOUT_MS: '30000',
      LLM_MAX_RETRIES: '0',
      RATE_LIMIT_PER_MINUTE: '100000',
      ...env,
    });
    await svc.ready();
    return svc;
  };
  const monitor = async (s: ServiceProcess) => {
    const r = await send(s.port, 'POST', '/api/ai/sii/monitor', {});
    return { status: r.status, json: r.status === 200 ? JSON.parse(r.body) : r.body };
  };
  const seenKeys = () => redis.cli('-n', '1', '--scan', '--pattern', 'sii:seen:*').split('\n').filter(Boolean);

  beforeAll(async () => {
    [redis, site, anthropic] = await Promise.all([TestRedis.start(), FakeSiiSite.start(), FakeAnthropic.start()]);
    await waitFor(() => existsSync(DIST_MAIN), 45_000, 500);
  });
  afterAll(async () => {
    await svc?.stop('SIGKILL');
    await Promise.all([anthropic.close(), site.close()]);
    await redis.stop();
  });
  beforeEach(() => {
    redis.cli('-n', '1', 'FLUSHDB');
    anthropic.reset();
    anthropic.reply(analyst);
  });

  it('SIGTERM while the items are being analysed: exit 0, and the next run analyses them', async () => {
    const first = await spawn();
    anthropic.latency({ firstByteMs: 60_000 });
    const run = monitor(first).catch((e: Error) => ({ status: 0, json: e.message }));
    await waitFor(() => anthropic.requests.length >= ITEMS, 10_000, 20);
    first.child.kill('SIGTERM');
    const interrupted = await run;
    const exitCode = await first.exited;

    anthropic.reset();
    anthropic.reply(analyst);
    const second = await monitor(await spawn());
    console.log(
      JSON.stringify({
        interrupted: [interrupted.status, interrupted.json?.new_items?.length, interrupted.json?.deferred_items],
        exitCode,
        nextRunNewItems: second.json.new_items?.length,
      }),
    );
    expect(exitCode).toBe(0);
    expect(interrupted.status).toBe(200);
    expect(interrupted.json).toMatchObject({ new_items: [], deferred_items: ITEMS });
    expect(second.status).toBe(200);
    expect(second.json.new_items).toHaveLength(ITEMS);
    expect(second.json.new_items.every((i: { analysis: string }) => i.analysis === 'llm')).toBe(true);
    await svc!.stop();
  });

  it('a crash (SIGKILL) leaves only short leases: once they lapse, the next run picks the items up', async () => {
    const first = await spawn();
    anthropic.latency({ firstByteMs: 60_000 });
    void monitor(first).catch(() => undefined);
    await waitFor(() => anthropic.requests.length >= ITEMS, 10_000, 20);
    first.child.kill('SIGKILL');
    await first.exited;

    const keys = seenKeys();
    const ttls = keys.map((k) => Number(redis.cli('-n', '1', 'TTL', k)));
    console.log(JSON.stringify({ claims: keys.length, maxTtlSeconds: Math.max(...ttls) }));
    expect(keys).toHaveLength(ITEMS);
    for (const ttl of ttls) expect(ttl).toBeLessThanOrEqual(10 * 60);
    // What Redis does when the lease runs out, without waiting for it.
    for (const k of keys) redis.cli('-n', '1', 'PEXPIRE', k, '1');

    anthropic.reset();
    anthropic.reply(analyst);
    const next = await monitor(await spawn());
    expect(next.json.new_items).toHaveLength(ITEMS);
    // Saved: now they are seen for 400 days and the following run finds nothing new.
    expect(Number(redis.cli('-n', '1', 'TTL', seenKeys()[0]))).toBeGreaterThan(300 * 86_400);
    expect((await monitor(svc!)).json.new_items).toHaveLength(0);
    await svc!.stop();
  });

  it('SIGTERM during a scheduled run: the drain waits for it, gives its items back, exits 0', async () => {
    anthropic.latency({ firstByteMs: 60_000 });
    const first = await spawn({ SII_MONITOR_CRON: '* * * * * *' }); // every second
    await waitFor(() => anthropic.requests.length >= ITEMS, 10_000, 20);
    const signalAt = Date.now();
    first.child.kill('SIGTERM');
    const exitCode = await first.exited;
    const lines = first.logLines();
    const events = lines.map((l) => l.event);
    const timeOf = (e: string) => lines.filter((l) => l.event === e).map((l) => l.time as number);
    console.log(JSON.stringify({ exitCode, exitAfterMs: Date.now() - signalAt }));
    expect(exitCode).toBe(0);
    expect(events.filter((e) => e === 'sii_analysis_interrupted')).toHaveLength(ITEMS);
    expect(timeOf('shutdown_drained')[0]).toBeGreaterThanOrEqual(Math.max(...timeOf('sii_analysis_interrupted')));

    anthropic.reset();
    anthropic.reply(analyst);
    expect((await monitor(await spawn())).json.new_items).toHaveLength(ITEMS);
    await svc!.stop();
  });
});
