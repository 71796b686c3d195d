import net from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { rawRequest } from '../helpers/raw-http';
import { RunningApp, startApp, TEST_KEY } from '../helpers/test-app';

/** Milliseconds from connect until the server answers or closes, and what it answered. */
function timedRaw(port: number, head: string, body = '', timeoutMs = 10_000) {
  const started = performance.now();
  return rawRequest(port, head, body, timeoutMs).then((r) => ({ ...r, ms: performance.now() - started }));
}

const headOf = (path: string, auth: string | null, extra: string[] = []) =>
  [
    `POST ${path} HTTP/1.1`,
    'Host: ai-service',
    'Content-Type: application/json',
    ...(auth ? [`Authorization: Bearer ${auth}`] : []),
    ...extra,
  ].join('\r\n');

/**
 * The edge of the service: a wrong key costs no body read (the key is checked as soon as the headers
 * arrive), a client that is slow to send its headers or body is cut off at configurable timeouts,
 * and idle keep-alive sockets close after a configurable time.
 */
describe('HTTP edge: auth before the body, request timeouts', () => {
  let svc: RunningApp;
  let port: number;

  beforeAll(async () => {
    svc = await startApp({
      HTTP_REQUEST_TIMEOUT_MS: '1500',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
    });
    port = Number(new URL(svc.url).port);
  });
  afterAll(() => svc.close());

  it.each([
    ['a wrong key', 'wrong-key'],
    ['no key', null],
  ])('answers 401 at once to %s announcing a 1,000,000-byte body it never sends', async (_what, auth) => {
    const r = await timedRaw(port, headOf('/api/chat/message', auth, ['Content-Length: 1000000']), '', 5000);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).detail).toMatch(/clave de API/);
    expect(r.ms).toBeLessThan(1000);
  });

  it('asks for the key on every documented route but the public probes, before anything else', async () => {
    const doc = (await svc.call('GET', '/docs-json', undefined, { auth: false })).json;
    const PUBLIC = ['/health', '/health/live', '/health/ready', '/live', '/ready'];
    const statuses: Record<string, number> = {};
    for (const [path, methods] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const r = await svc.call(method.toUpperCase(), path.replace(/\{[^}]+\}/g, 'x'), undefined, { auth: 'wrong' });
        statuses[`${method.toUpperCase()} ${path}`] = r.status;
      }
    }
    const expected = Object.fromEntries(
      Object.keys(statuses).map((k) => [k, PUBLIC.includes(k.split(' ')[1]) ? expect.any(Number) : 401]),
    );
    expect(Object.keys(statuses).length).toBeGreaterThan(10);
    expect(statuses).toEqual(expected);
  });

  it('still reads the body of a request with the right key (the check is only on the key)', async () => {
    const body = JSON.stringify({ user_context: { company_name: 'Andes SpA' } });
    const r = await timedRaw(
      port,
      headOf('/api/chat/session/new', svc.key, [`Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close']),
      body,
    );
    expect(r.status).toBe(200);
  });

  it('cuts off a client that announces a body and never sends it (HTTP_REQUEST_TIMEOUT_MS)', async () => {
    const r = await timedRaw(port, headOf('/api/chat/message', svc.key, ['Content-Length: 1000000']), '{"mess', 10_000);
    expect(r.status).toBe(408);
    expect(r.ms).toBeGreaterThanOrEqual(1400);
    expect(r.ms).toBeLessThan(1500 + 2500);
  });

  it('cuts off a client that never finishes its headers (HTTP_HEADERS_TIMEOUT_MS)', async () => {
    const started = performance.now();
    const closed = await new Promise<{ data: string }>((resolve) => {
      let data = '';
      const s = net.connect(port, '127.0.0.1', () => s.write('GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: 1'));
      s.on('data', (d) => (data += d));
      s.on('close', () => resolve({ data }));
      s.on('error', () => undefined);
      setTimeout(() => s.destroy(), 10_000);
    });
    const ms = performance.now() - started;
    expect(closed.data).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(1000 + 2500);
  });

  it('closes an idle keep-alive socket after HTTP_KEEP_ALIVE_TIMEOUT_MS', async () => {
    const started = performance.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n'));
      s.on('data', () => undefined);
      s.on('close', () => resolve(performance.now() - started));
      s.on('error', () => undefined);
      setTimeout(() => s.destroy(), 10_000);
    });
    expect(closedAfter).toBeGreaterThanOrEqual(900);
    expect(closedAfter).toBeLessThan(1000 + 2500);
  });
});

describe('X-Forwarded-For is believed for TRUST_PROXY_HOPS proxies only', () => {
  const seen: string[] = [];
  let app: NestFastifyApplication;
  let url: string;

  const start = async (hops?: string) => {
    app = await createApp({
      AI_SERVICE_API_KEY: TEST_KEY,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      TRUST_PROXY_HOPS: hops,
    });
    // An observer of what the service takes as the client address (logs and rate limits use it).
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onResponse', (request, _reply, done) => {
        seen.push(request.ip);
        done();
      });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.getHttpServer().address() as import('node:net').AddressInfo).port}`;
  };
  const ipFor = async (xff: string) => {
    await fetch(`${url}/health/live`, { headers: { 'x-forwarded-for': xff } });
    return seen[seen.length - 1];
  };
  afterEach(() => app?.close());

  it('by default believes nobody: the address is the peer that connected', async () => {
    await start(undefined);
    expect(await ipFor('203.0.113.7')).toBe('127.0.0.1');
  });

  it('with one hop (an ingress) takes the address the ingress appended, not what the client claimed', async () => {
    await start('1');
    expect(await ipFor('203.0.113.7')).toBe('203.0.113.7');
    expect(await ipFor('6.6.6.6, 203.0.113.7')).toBe('203.0.113.7');
  });
});
