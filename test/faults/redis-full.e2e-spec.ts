import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { FakeAnthropic } from '../fakes/fake-anthropic';
import { realisticReply } from '../helpers/fault-stack';
import { freePort, sleep, waitFor } from '../helpers/ports';
import { DIST_MAIN, ServiceProcess } from '../helpers/service-process';
import { odooCall } from '../validation/validation-helpers';
import { send, SIGTERM_KEY } from './sigterm-helpers';

const ROOT = join(__dirname, '..', '..');

/** `--maxmemory-policy` and `--maxmemory` as the deployment files start Redis. */
function declaredMemory(): { compose: Record<string, string>; kubernetes: Record<string, string> } {
  const flags = (line: string) =>
    Object.fromEntries([...line.matchAll(/--(maxmemory(?:-policy)?) (\S+)/g)].map((m) => [m[1], m[2]]));
  const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as any;
  const k8s = readFileSync(join(ROOT, 'docs', 'kubernetes', 'redis.yaml'), 'utf8');
  return { compose: flags(String(compose.services.redis.command)), kubernetes: flags(k8s) };
}

/**
 * Redis at its memory limit. Found by reading: compose ran Redis with no maxmemory, and the
 * Kubernetes one with `volatile-ttl`, which evicts the keys closest to expiring first: the
 * rate-limit windows (silently restarting every client's count), then sessions. The policy the
 * deployment files declare is run here on a small real Redis: nothing may be evicted, writes that
 * do not fit are refused, DTE validation keeps answering 200, and the costs are all written once
 * memory is free again.
 */
describe('fault: Redis full, with the memory policy the deployment files declare (compiled service)', () => {
  let redis: ChildProcess;
  let port: number;
  let anthropic: FakeAnthropic;
  let svc: ServiceProcess;
  const cli = (...a: string[]) =>
    execFileSync('redis-cli', ['-p', String(port), ...a], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();

  beforeAll(async () => {
    const { kubernetes } = declaredMemory();
    port = await freePort();
    redis = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        // The declared policy, on a Redis small enough to fill in a test.
        '--maxmemory',
        '4mb',
        '--maxmemory-policy',
        kubernetes['maxmemory-policy'] ?? 'noeviction',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(() => cli('ping') === 'PONG', 10_000, 20);
    anthropic = await FakeAnthropic.start();
    realisticReply(anthropic, 'Anthropic');
    await waitFor(() => existsSync(DIST_MAIN), 45_000, 500);
    svc = await ServiceProcess.spawn({
      AI_SERVICE_API_KEY: SIGTERM_KEY,
      REDIS_URL: `redis://127.0.0.1:${port}/1`,
      ANTHROPIC_API_KEY: 'sk-ant-full',
      ANTHROPIC_BASE_URL: anthropic.url,
      RATE_LIMIT_PER_MINUTE: '100000',
      VALIDATION_CACHE_TTL: '0',
    });
    await svc.ready();
  });
  afterAll(async () => {
    await svc?.stop('SIGKILL');
    await anthropic?.close();
    redis?.kill('SIGKILL');
  });

  it('compose and Kubernetes declare an explicit maxmemory and the same never-evicting policy', () => {
    const { compose, kubernetes } = declaredMemory();
    expect(compose['maxmemory']).toMatch(/^\d+mb$/);
    expect(kubernetes['maxmemory']).toMatch(/^\d+mb$/);
    expect(compose['maxmemory-policy']).toBe('noeviction');
    expect(kubernetes['maxmemory-policy']).toBe('noeviction');
  });

  it('evicts nothing: rate-limit windows and cost history survive, validation answers 200, costs are written after', async () => {
    const windowKey = `ratelimit:default:key:${createHash('sha256').update(SIGTERM_KEY).digest('hex').slice(0, 16)}`;
    const validate = () => send(svc.port, 'POST', '/api/ai/validate', odooCall());
    expect((await validate()).status).toBe(200);
    let requests = 1;

    // Sessions with a large (allowed) context until Redis refuses one, or well past its size.
    const context = { company_name: 'ACME SpA', notas: 'x'.repeat(60_000) };
    const sessions: string[] = [];
    let refused = 0;
    for (let i = 0; i < 150 && !refused; i++) {
      const r = await send(svc.port, 'POST', '/api/chat/session/new', { user_context: context });
      requests++;
      if (r.status === 200) sessions.push(JSON.parse(r.body).session_id);
      else refused = r.status;
    }
    const counted = Number(cli('-n', '1', 'GET', windowKey) || 0);
    const evicted = Number(/evicted_keys:(\d+)/.exec(cli('INFO', 'stats'))?.[1] ?? 0);

    // Full: DTE validation still answers (a cost write Redis refuses waits in the service's memory).
    const whileFull = await validate();
    requests++;
    const deferredWhileFull = svc.logLines().some((l) => l.event === 'cost_record_deferred');

    // Room again (DEL is always allowed): any deferred cost reaches Redis by itself.
    for (const id of sessions.slice(0, 10)) await send(svc.port, 'DELETE', `/api/chat/session/${id}`);
    const day = () => cli('-n', '1', '--scan', '--pattern', 'cost_tracker:day:*').split('\n').filter(Boolean)[0];
    const calls = () => Number(cli('-n', '1', 'HGET', day() ?? 'none', 'op:dte_validation:calls') || 0);
    await waitFor(() => calls() === 2, 10_000, 100).catch(() => undefined);
    console.log(
      JSON.stringify({
        sessionsStored: sessions.length,
        refusedWith: refused,
        evictedKeys: evicted,
        rateLimitCounted: counted,
        requestsBeforeFull: requests - 2,
        validationWhileFull: whileFull.status,
        costDeferred: deferredWhileFull,
        validationCallsInRedis: calls(),
      }),
    );

    expect(evicted).toBe(0);
    // Full: the write was refused, not made by evicting others; the caller is told to retry.
    expect(refused).toBe(503);
    // Every request Redis accepted is in the window (the one that found it full may be too).
    expect(counted).toBeGreaterThanOrEqual(sessions.length + 1);
    expect(counted).toBeLessThanOrEqual(sessions.length + 2);
    expect(whileFull.status).toBe(200);
    expect(JSON.parse(whileFull.body)).toMatchObject({ recommendation: expect.any(String), llm_used: 'anthropic' });
    expect(calls()).toBe(2);
    // Sessions are whole: each one still answers with its context, none was cut in half.
    for (const id of sessions.slice(10, 15)) {
      const view = await send(svc.port, 'GET', `/api/chat/session/${id}`);
      expect(view.status).toBe(200);
      expect(JSON.parse(view.body).user_context.company_name).toBe('ACME SpA');
    }
    await sleep(0);
  });
});
