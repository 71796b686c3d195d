import { TestRedis } from '../helpers/redis-server';
import { waitFor } from '../helpers/ports';
import { RunningApp, startApp } from '../helpers/test-app';

const SEARCH = '/api/chat/knowledge/search?query=factura';

describe('auth, error bodies and HTTP hygiene', () => {
  let svc: RunningApp;
  beforeAll(
    async () =>
      (svc = await startApp({
        AI_SERVICE_API_KEY: 'old-key-0123456789abcdef0123456789,new-key-0123456789abcdef0123456789',
      })),
  );
  afterAll(() => svc.close());

  it.each([
    ['no header', false],
    ['a wrong key', 'nope'],
  ])('answers 401 JSON with a Spanish detail for %s', async (_what, auth) => {
    const r = await svc.call('GET', SEARCH, undefined, { auth: auth as string | false });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({
      statusCode: 401,
      error: 'Unauthorized',
      message: expect.any(String),
      detail: expect.stringMatching(/clave de API/),
    });
  });

  it('accepts every key of a rotation', async () => {
    expect((await svc.call('GET', SEARCH, undefined, { auth: 'old-key-0123456789abcdef0123456789' })).status).toBe(200);
    expect((await svc.call('GET', SEARCH, undefined, { auth: 'new-key-0123456789abcdef0123456789' })).status).toBe(200);
  });

  it('protects /metrics/costs but not /metrics', async () => {
    expect((await svc.call('GET', '/metrics/costs?period=today', undefined, { auth: false })).status).toBe(401);
    const m = await svc.call('GET', '/metrics', undefined, { auth: false });
    expect(m.status).toBe(200);
    expect(m.text).toContain('process_cpu_user_seconds_total');
    expect(m.text).toContain('http_request_duration_seconds_bucket');
  });

  it('answers 413 with a detail for bodies over 1 MiB', async () => {
    const r = await svc.call('POST', '/api/chat/message', undefined, {
      raw: JSON.stringify({ message: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(r.status).toBe(413);
    expect(r.json.detail).toMatch(/1 MiB/);
  });

  it('answers 400 with a detail for broken JSON', async () => {
    const r = await svc.call('POST', '/api/chat/session/new', undefined, { raw: '{"user_context": ' });
    expect(r.status).toBe(400);
    expect(typeof r.json.detail).toBe('string');
  });

  it('refuses an unknown top-level field, naming it', async () => {
    const r = await svc.call('POST', '/api/chat/session/new', { user_context: {}, surprise: 1 });
    expect(r.status).toBe(400);
    expect(r.json.detail).toContain('"surprise"');
    expect(r.json.field).toBe('surprise');
  });

  it.each([
    ['a missing query', 'GET', '/api/chat/knowledge/search?top_k=3', undefined, 'query', /obligatorio/],
    ['an empty message', 'POST', '/api/chat/message', { message: '' }, 'message', /obligatorio/],
    [
      'a top_k that is not a number',
      'GET',
      '/api/chat/knowledge/search?query=iva&top_k=muchos',
      undefined,
      'top_k',
      /número/,
    ],
    [
      'a top_k out of range',
      'GET',
      '/api/chat/knowledge/search?query=iva&top_k=50',
      undefined,
      'top_k',
      /menor o igual a 20/,
    ],
  ])('reports the most basic problem for %s', async (_what, method, path, body, field, reason) => {
    const r = await svc.call(method, path, body);
    expect(r.status).toBe(400);
    expect(r.json.field).toBe(field);
    expect(r.json.detail).toContain(`"${field}"`);
    expect(r.json.detail).toMatch(reason);
  });

  it('answers 200 to a DELETE with Content-Type: application/json and no body, as Odoo sends it', async () => {
    const s = await svc.call('POST', '/api/chat/session/new', {});
    const r = await svc.call('DELETE', `/api/chat/session/${s.json.session_id}`, undefined, {
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ session_id: s.json.session_id, deleted: true });
  });

  it.each([
    ['JSON nested 2000 levels deep', '['.repeat(2000) + ']'.repeat(2000), /anidado/],
    ['a form-encoded body', 'message=hola', null],
  ])('refuses %s with a 4xx and a detail, never a 500', async (_what, raw, detail) => {
    const headers: Record<string, string> = detail ? {} : { 'content-type': 'application/x-www-form-urlencoded' };
    const r = await svc.call('POST', '/api/chat/message', undefined, { raw, headers });
    expect(r.status).toBe(detail ? 400 : 415);
    expect(typeof r.json.detail).toBe('string');
    if (detail) expect(r.json.detail).toMatch(detail);
  });

  it('refuses prototype-pollution keys without crashing', async () => {
    const r = await svc.call('POST', '/api/chat/session/new', undefined, { raw: '{"__proto__": {"admin": true}}' });
    expect(r.status).toBe(400);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('sends security headers (helmet)', async () => {
    const r = await svc.call('GET', '/health');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-powered-by')).toBeNull();
  });

  it('answers unknown routes with a JSON 404 and a detail', async () => {
    const r = await svc.call('GET', '/api/nothing-here');
    expect(r.status).toBe(404);
    expect(r.json.detail).toBeDefined();
  });

  it('serves Swagger UI and the OpenAPI document outside production', async () => {
    const ui = await fetch(`${svc.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
    const doc = await svc.call('GET', '/docs-json', undefined, { auth: false });
    expect(doc.status).toBe(200);
    expect(doc.json.paths['/health']).toBeDefined();
    expect(doc.json.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('Swagger in production', () => {
  const key = 'p'.repeat(40);
  it('is off unless SWAGGER_ENABLED=true', async () => {
    const off = await startApp({ NODE_ENV: 'production', AI_SERVICE_API_KEY: key });
    try {
      expect((await off.call('GET', '/docs-json', undefined, { auth: false })).status).toBe(404);
    } finally {
      await off.close();
    }
    const on = await startApp({ NODE_ENV: 'production', AI_SERVICE_API_KEY: key, SWAGGER_ENABLED: 'true' });
    try {
      expect((await on.call('GET', '/docs-json', undefined, { auth: false })).status).toBe(200);
    } finally {
      await on.close();
    }
  });
});

describe('rate limit per API key', () => {
  let redis: TestRedis;
  let a: RunningApp;
  let b: RunningApp;
  const keys = 'key-one-0123456789abcdef0123456789,key-two-0123456789abcdef0123456789';
  beforeAll(async () => {
    redis = await TestRedis.start();
    const env = { REDIS_URL: redis.url(), RATE_LIMIT_PER_MINUTE: '4', AI_SERVICE_API_KEY: keys };
    a = await startApp(env);
    b = await startApp(env);
    await waitFor(
      async () =>
        (await a.call('GET', '/health/ready')).status === 200 && (await b.call('GET', '/health/ready')).status === 200,
    );
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await redis.stop();
  });

  it('shares one counter per key across replicas and answers 429 with Retry-After', async () => {
    const one = 'key-one-0123456789abcdef0123456789';
    const statuses = [];
    for (const svc of [a, b, a, b]) statuses.push((await svc.call('GET', SEARCH, undefined, { auth: one })).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const limited = await b.call('GET', SEARCH, undefined, { auth: one });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited.json.detail).toMatch(/Demasiadas solicitudes/);
    // another key has its own bucket; health is never limited
    expect((await a.call('GET', SEARCH, undefined, { auth: 'key-two-0123456789abcdef0123456789' })).status).toBe(200);
    expect((await a.call('GET', '/health')).status).toBe(200);
    expect(redis.cli('-n', '1', '--scan', '--pattern', 'ratelimit:*').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('keeps limiting locally while Redis is down instead of failing requests', async () => {
    await redis.stop();
    await waitFor(async () => (await a.call('GET', '/health')).status === 503, 5000);
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await a.call('GET', '/api/chat/knowledge/search?query=iva', undefined, {
            auth: 'key-two-0123456789abcdef0123456789',
          })
        ).status,
      );
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses.slice(4)).toEqual([429, 429]);
    await redis.restart();
  });
});
