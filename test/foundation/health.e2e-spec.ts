import { Lifecycle } from '../../src/lifecycle/lifecycle.service';
import { TestRedis } from '../helpers/redis-server';
import { waitFor } from '../helpers/ports';
import { RunningApp, startApp } from '../helpers/test-app';

describe('health without Redis configured (embedded mode)', () => {
  let svc: RunningApp;
  beforeAll(async () => (svc = await startApp()));
  afterAll(() => svc.close());

  it('answers the seed body, says Redis is in memory, and is degraded without LLM keys', async () => {
    const r = await svc.call('GET', '/health', undefined, { auth: false });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      status: 'degraded',
      service: expect.any(String),
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      timestamp: expect.any(String),
      uptime_seconds: expect.any(Number),
      checks: {
        anthropic_configured: false,
        openai_configured: false,
        redis_connected: false,
        knowledge_base_loaded: true,
      },
      dependencies: {
        redis: { status: 'memory' },
        anthropic: { status: 'not_configured' },
        openai: { status: 'not_configured' },
      },
      stats: { documents_count: expect.any(Number), total_tags: expect.any(Number) },
    });
  });

  it('accepts and ignores a Bearer header on /health, as Odoo sends one', async () => {
    expect((await svc.call('GET', '/health', undefined, { auth: 'whatever' })).status).toBe(200);
  });

  it.each(['/health/live', '/live', '/health/ready', '/ready'])('%s answers 200 without a key', async (path) => {
    const r = await svc.call('GET', path, undefined, { auth: false });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('ok');
  });
});

describe('health with a configured Redis that goes down and comes back', () => {
  let redis: TestRedis;
  let svc: RunningApp;
  beforeAll(async () => {
    redis = await TestRedis.start();
    svc = await startApp({
      REDIS_URL: redis.url(),
      ANTHROPIC_API_KEY: 'sk-test',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    });
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200);
  });
  afterAll(async () => {
    await svc.close();
    await redis.stop();
  });

  it('is healthy with Redis up, reporting its latency', async () => {
    const r = await svc.call('GET', '/health');
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('healthy');
    expect(r.json.checks.redis_connected).toBe(true);
    expect(r.json.checks.anthropic_configured).toBe(true);
    expect(r.json.dependencies.redis).toEqual({ status: 'up', latency_ms: expect.any(Number) });
    expect(r.json.dependencies.anthropic.status).toBe('configured');
  });

  it('answers 503 unhealthy and not-ready while Redis is down, yet stays live', async () => {
    await redis.stop();
    await waitFor(async () => (await svc.call('GET', '/health')).status === 503, 5000);
    const h = await svc.call('GET', '/health');
    expect(h.json.status).toBe('unhealthy');
    expect(h.json.checks.redis_connected).toBe(false);
    expect(h.json.dependencies.redis.status).toBe('down');
    const ready = await svc.call('GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.json.error.redis.status).toBe('down');
    expect(typeof ready.json.detail).toBe('string');
    expect((await svc.call('GET', '/ready')).status).toBe(503);
    expect((await svc.call('GET', '/health/live')).status).toBe(200);
    expect((await svc.call('GET', '/live')).status).toBe(200);
  });

  it('recovers by itself when Redis comes back (no restart)', async () => {
    await redis.restart();
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200, 10000);
    const h = await svc.call('GET', '/health');
    expect(h.status).toBe(200);
    expect(h.json.checks.redis_connected).toBe(true);
  });
});

describe('health when Redis is configured but unreachable from the start', () => {
  it('starts anyway, reports down, and becomes ready once Redis appears', async () => {
    const redis = await TestRedis.start();
    await redis.stop();
    const svc = await startApp({ REDIS_URL: redis.url() });
    try {
      const h = await svc.call('GET', '/health');
      expect(h.status).toBe(503);
      expect(h.json.dependencies.redis.status).toBe('down');
      await redis.restart();
      await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200, 10000);
    } finally {
      await svc.close();
      await redis.stop();
    }
  });
});

describe('shutdown while Redis is down', () => {
  it('closes promptly instead of waiting for a connection that will not come', async () => {
    const redis = await TestRedis.start();
    const svc = await startApp({ REDIS_URL: redis.url() });
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200);
    await redis.stop();
    await waitFor(async () => (await svc.call('GET', '/health')).status === 503, 5000);
    const started = Date.now();
    await svc.close();
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('readiness during a shutdown', () => {
  let svc: RunningApp;
  beforeAll(async () => (svc = await startApp()));
  afterAll(() => svc.close());

  it('answers 503 from the moment the drain begins, while staying live', async () => {
    expect((await svc.call('GET', '/health/ready', undefined, { auth: false })).status).toBe(200);
    svc.app.get(Lifecycle).beginDrain(performance.now() + 1000);
    for (const path of ['/health/ready', '/ready']) {
      const r = await svc.call('GET', path, undefined, { auth: false });
      expect(r.status).toBe(503);
      expect(r.json).toMatchObject({ status: 'error', error: { lifecycle: { status: 'down' } } });
      expect(r.json.detail).toMatch(/deteniendo/);
    }
    expect((await svc.call('GET', '/health/live', undefined, { auth: false })).status).toBe(200);
  });
});
