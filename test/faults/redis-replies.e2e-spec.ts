import { ChildProcess, spawn } from 'node:child_process';
import { FakeAnthropic } from '../fakes/fake-anthropic';
import { realisticReply } from '../helpers/fault-stack';
import { freePort, sleep, waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { RunningApp, startApp } from '../helpers/test-app';
import { odooCall } from '../validation/validation-helpers';

/**
 * Redis that is up but refuses commands (out of memory, turned read-only by a failover, busy with
 * a script, a replica cut from its master) is an outage, not a bug: the chat answers 503 with
 * Retry-After and a Spanish detail, exactly as with Redis down; validation keeps answering its
 * verdict; everything recovers without a restart once Redis accepts commands again. A real
 * redis-server is driven into each state with its own commands.
 */
describe('fault: Redis error replies that mean "cannot now"', () => {
  let redis: TestRedis;
  let anthropic: FakeAnthropic;
  let svc: RunningApp;
  let sessionId: string;

  beforeAll(async () => {
    [redis, anthropic] = await Promise.all([TestRedis.start(), FakeAnthropic.start()]);
    realisticReply(anthropic, 'Anthropic');
    svc = await startApp({
      REDIS_URL: redis.url(),
      ANTHROPIC_API_KEY: 'sk-ant-replies',
      ANTHROPIC_BASE_URL: anthropic.url,
      RATE_LIMIT_PER_MINUTE: '100000',
      LLM_MAX_RETRIES: '0',
    });
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200, 15_000);
    sessionId = (await svc.call('POST', '/api/chat/session/new', { user_context: {} })).json.session_id;
  });
  afterAll(async () => {
    await svc?.close();
    await Promise.all([anthropic?.close(), redis?.stop()]);
  });

  /** What the chat endpoints and validation answer while Redis is in the state. */
  async function whileRefusing() {
    const created = await svc.call('POST', '/api/chat/session/new', { user_context: { company_name: 'OOM SpA' } });
    const turn = await svc.call('POST', '/api/chat/message', { session_id: sessionId, message: '¿Qué es el IVA?' });
    const validation = await svc.call('POST', '/api/ai/validate', odooCall({ rut_receptor: '96790240-4' }));
    return { created, turn, validation };
  }

  function expectOutage(r: Awaited<ReturnType<typeof whileRefusing>>) {
    for (const a of [r.created, r.turn]) {
      expect({ status: a.status, code: a.json?.code }).toEqual({ status: 503, code: 'STORE_UNAVAILABLE' });
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(a.json.detail).toMatch(/no está disponible/);
    }
    expect(r.validation.status).toBe(200);
    expect(r.validation.json.recommendation).toBe('reject');
  }

  async function expectRecovered() {
    const created = await svc.call('POST', '/api/chat/session/new', { user_context: {} });
    expect(created.status).toBe(200);
    expect((await svc.call('POST', '/api/chat/message', { session_id: sessionId, message: 'Hola' })).status).toBe(200);
  }

  it('OOM (maxmemory 1, noeviction): 503 + Retry-After, validation answers, then recovers', async () => {
    redis.cli('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    redis.cli('CONFIG', 'SET', 'maxmemory', '1');
    try {
      expectOutage(await whileRefusing());
    } finally {
      redis.cli('CONFIG', 'SET', 'maxmemory', '0');
    }
    await expectRecovered();
  });

  it('READONLY (REPLICAOF a master that is not there, as after a failover): the same, then recovers', async () => {
    const nobody = await freePort();
    redis.cli('REPLICAOF', '127.0.0.1', String(nobody));
    try {
      expectOutage(await whileRefusing());
    } finally {
      redis.cli('REPLICAOF', 'NO', 'ONE');
    }
    await expectRecovered();
  });

  it('MASTERDOWN (a replica that may not serve stale data): the same, then recovers', async () => {
    const nobody = await freePort();
    redis.cli('CONFIG', 'SET', 'replica-serve-stale-data', 'no');
    redis.cli('REPLICAOF', '127.0.0.1', String(nobody));
    try {
      expectOutage(await whileRefusing());
    } finally {
      redis.cli('REPLICAOF', 'NO', 'ONE');
      redis.cli('CONFIG', 'SET', 'replica-serve-stale-data', 'yes');
    }
    await expectRecovered();
  });

  it('BUSY (a script past busy-reply-threshold): the same, then recovers after SCRIPT KILL', async () => {
    redis.cli('CONFIG', 'SET', 'busy-reply-threshold', '50');
    let looping: ChildProcess | undefined;
    try {
      looping = spawn('redis-cli', ['-p', String(redis.port), 'EVAL', 'while true do end', '0'], { stdio: 'ignore' });
      await sleep(300);
      expectOutage(await whileRefusing());
    } finally {
      await waitFor(() => {
        try {
          redis.cli('SCRIPT', 'KILL');
        } catch {
          /* NOTBUSY once it is gone */
        }
        return looping?.exitCode !== null;
      }, 5000);
      redis.cli('CONFIG', 'SET', 'busy-reply-threshold', '5000');
    }
    await expectRecovered();
  });
});
