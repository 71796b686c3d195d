import { SchedulerRegistry } from '@nestjs/schedule';
import { SiiScheduler } from '../../src/sii/sii.scheduler';
import { waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { RunningApp, startApp } from '../helpers/test-app';
import { FakeSiiSite } from './sii-site';

/** The optional in-process schedule (SII_MONITOR_CRON) and its lock across replicas. */
let redis: TestRedis;
let site: FakeSiiSite;
const apps: RunningApp[] = [];

async function start(env: Record<string, string> = {}) {
  const app = await startApp({
    REDIS_URL: redis.url(),
    SII_NEWS_URLS: site.url('/normativa_legislacion/circulares/2025/indcir2025.htm'),
    SII_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    ...env,
  });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  redis = await TestRedis.start();
  site = await FakeSiiSite.start();
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await site.close();
  await redis.stop();
});
beforeEach(() => redis.cli('-n', '1', 'FLUSHDB'));

it('is off by default', async () => {
  const app = await start();
  expect(app.app.get(SchedulerRegistry).getCronJobs().size).toBe(0);
});

it('runs the monitor on the configured schedule', async () => {
  const app = await start({ SII_MONITOR_CRON: '* * * * * *' });
  await waitFor(() => redis.cli('-n', '1', 'EXISTS', 'sii:last_run') === '1', 5000);
  const status = (await app.call('GET', '/api/ai/sii/status')).json;
  expect(status.last_run).toMatchObject({ trigger: 'schedule', pages: [{ ok: true, items_found: 3 }] });
  expect(status.items_total).toBe(3);
  await app.close();
  apps.splice(apps.indexOf(app), 1);
});

it('lets one replica run a tick and the others skip it', async () => {
  const [a, b] = [await start(), await start()];
  const outcomes = await Promise.all([a.app.get(SiiScheduler).tick(), b.app.get(SiiScheduler).tick()]);
  expect(outcomes.sort()).toEqual(['ran', 'skipped']);
  expect(site.requests.filter((p) => p.includes('indcir2025')).length).toBeGreaterThanOrEqual(1);
  // The lock outlives the run briefly so replicas ticking a moment later skip too.
  const ttl = Number(redis.cli('-n', '1', 'TTL', 'sii:lock'));
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(50);
  expect(await b.app.get(SiiScheduler).tick()).toBe('skipped');
  redis.cli('-n', '1', 'DEL', 'sii:lock');
  expect(await b.app.get(SiiScheduler).tick()).toBe('ran');
});

it('refuses to start with an invalid cron expression, naming the variable', async () => {
  await expect(startApp({ SII_MONITOR_CRON: '61 * * * *' })).rejects.toThrow(/SII_MONITOR_CRON/);
});
