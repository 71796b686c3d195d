import { TestRedis } from '../helpers/redis-server';
import { waitFor } from '../helpers/ports';
import { ServiceProcess } from '../helpers/service-process';

const KEY = 'process-test-key-0123456789abcdef0123';

describe('the compiled service as a process', () => {
  it.each([
    [{ CHAT_DEFAULT_TEMPERATURE: '5' }, 'CHAT_DEFAULT_TEMPERATURE'],
    [{ NODE_ENV: 'production' }, 'AI_SERVICE_API_KEY'],
    [{ NODE_ENV: 'production', AI_SERVICE_API_KEY: 'too-short' }, 'AI_SERVICE_API_KEY'],
    [{ REDIS_PORT: 'abc', REDIS_HOST: 'x' }, 'REDIS_PORT'],
  ])('refuses to start with %j, in one line naming %s', async (env, variable) => {
    const svc = await ServiceProcess.spawn(env);
    expect(await svc.exited).toBe(1);
    const lines = svc.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(svc.stderr).not.toContain('too-short');
    expect(svc.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('starts with embedded defaults, prints a generated key once, and that key works', async () => {
    const svc = await ServiceProcess.spawn({});
    try {
      await svc.ready();
      const key = svc.stdout.match(/AI_SERVICE_API_KEY=([0-9a-f]{48})/)?.[1];
      expect(key).toBeDefined();
      expect(svc.stdout.split(key!).length - 1).toBe(1);
      const ok = await fetch(`${svc.url}/api/chat/knowledge/search?query=iva`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(ok.status).toBe(200);
      const health = (await (await fetch(`${svc.url}/health`)).json()) as {
        dependencies: { redis: { status: string } };
      };
      expect(health.dependencies.redis.status).toBe('memory');
    } finally {
      await svc.stop();
    }
  });

  it('logs one JSON object per line, with request ids and no secrets or message text', async () => {
    const svc = await ServiceProcess.spawn({
      AI_SERVICE_API_KEY: KEY,
      ANTHROPIC_API_KEY: 'sk-ant-SECRET-123',
      OPENAI_API_KEY: 'sk-SECRET-456',
      REDIS_PASSWORD: 'hunter2',
    });
    try {
      await svc.ready();
      const secretText = 'Mi RUT es 12.345.678-5 y mi clave es hunter2';
      await fetch(`${svc.url}/api/chat/message`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-request-id': 'req-abc-123' },
        body: JSON.stringify({ message: secretText }),
      });
      await fetch(`${svc.url}/api/chat/knowledge/search?query=folios`, {
        headers: { authorization: 'Bearer wrong-key' },
      });
      for (const probe of ['/health', '/health/live', '/ready', '/metrics']) await fetch(svc.url + probe);
      await fetch(`${svc.url}/metrics/costs?period=today`, { headers: { authorization: `Bearer ${KEY}` } });
      await waitFor(() => svc.stdout.includes('req-abc-123') && svc.stdout.includes('"/metrics/costs"'), 5000);
      const everything = svc.stdout + svc.stderr;
      for (const secret of [
        KEY,
        'sk-ant-SECRET-123',
        'sk-SECRET-456',
        'hunter2',
        'wrong-key',
        secretText,
        '12.345.678-5',
      ]) {
        expect(everything).not.toContain(secret);
      }
      const lines = svc.stdout.split('\n').filter(Boolean);
      for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
      const completed = svc.logLines().find((l) => l.req?.id === 'req-abc-123' && l.msg === 'request completed');
      expect(completed).toMatchObject({ req: { method: 'POST', url: '/api/chat/message' }, res: { statusCode: 200 } });
      const logged = svc
        .logLines()
        .filter((l) => l.msg === 'request completed')
        .map((l) => l.req.url);
      expect(logged).toEqual(
        expect.arrayContaining(['/api/chat/message', '/api/chat/knowledge/search', '/metrics/costs']),
      );
      expect(logged).not.toEqual(expect.arrayContaining(['/health']));
      expect(logged.filter((u: string) => ['/health', '/health/live', '/ready', '/metrics'].includes(u))).toEqual([]);
      // At info a turn is one wide event (the steps before it are at debug), with the request's id.
      expect(svc.logLines().filter((l) => l.event === 'chat_message_received')).toEqual([]);
      expect(svc.logLines().find((l) => l.event === 'chat_message_completed')).toMatchObject({
        req: { id: 'req-abc-123' },
        message_length: secretText.length,
        docs_found: expect.any(Number),
        llm_used: 'offline',
      });
    } finally {
      await svc.stop();
    }
  });

  it('logs redis_connection_failed and redis_client_initialized as Redis goes and comes', async () => {
    const redis = await TestRedis.start();
    await redis.stop();
    const svc = await ServiceProcess.spawn({ AI_SERVICE_API_KEY: KEY, REDIS_URL: redis.url() });
    try {
      await svc.ready();
      await waitFor(() => svc.logLines().some((l) => l.event === 'redis_connection_failed'), 5000);
      await redis.restart();
      await waitFor(() => svc.logLines().some((l) => l.event === 'redis_client_initialized'), 10000);
      const init = svc.logLines().find((l) => l.event === 'redis_client_initialized')!;
      expect(init).toMatchObject({ host: '127.0.0.1', port: redis.port, db: 1 });
      expect((await fetch(`${svc.url}/health/ready`)).status).toBe(200);
    } finally {
      await svc.stop();
      await redis.stop();
    }
  });

  it('exits 0 on SIGTERM after closing cleanly', async () => {
    const redis = await TestRedis.start();
    const svc = await ServiceProcess.spawn({ AI_SERVICE_API_KEY: KEY, REDIS_URL: redis.url() });
    try {
      await svc.ready();
      expect(await svc.stop('SIGTERM')).toBe(0);
      expect(svc.logLines().map((l) => l.event)).toEqual(
        expect.arrayContaining(['shutdown_started', 'shutdown_complete']),
      );
    } finally {
      await redis.stop();
    }
  });
});
