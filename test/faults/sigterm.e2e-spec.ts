import http from 'node:http';
import net from 'node:net';
import { FakeAnthropic } from '../fakes/fake-anthropic';
import { realisticReply } from '../helpers/fault-stack';
import { sleep, waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { DIST_MAIN, ServiceProcess } from '../helpers/service-process';
import { existsSync } from 'node:fs';
import { odooCall } from '../validation/validation-helpers';
import { costTotals, tryConnect } from './sigterm-helpers';

const KEY = 'sigterm-test-key-0123456789abcdef0123';
const PROVIDER_DELAY_MS = 800;

interface Answer {
  status: number;
  body: string;
  endedAt: number;
}

/** One POST on its own fresh connection (no keep-alive pool), so it is in flight on its own socket. */
function post(port: number, path: string, body: unknown, accept = 'application/json'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${KEY}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          accept,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, endedAt: Date.now() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** An idle keep-alive connection (one request answered, socket left open); resolves `closed` when the server drops it. */
async function idleKeepAlive(port: number): Promise<{ closed: Promise<number> }> {
  const socket = net.connect(port, '127.0.0.1');
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  await new Promise<void>((resolve) => {
    socket.once('data', () => resolve());
    socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
  });
  return { closed };
}

/**
 * SIGTERM while slow requests are in flight, against the compiled service: every in-flight
 * request (JSON chat, SSE chat, validation) completes with 200, new connections are refused
 * right after the signal, and the process exits 0 once they are done.
 */
describe('fault: SIGTERM under load (compiled service)', () => {
  let redis: TestRedis;
  let anthropic: FakeAnthropic;
  let svc: ServiceProcess;

  beforeAll(async () => {
    [redis, anthropic] = await Promise.all([TestRedis.start(), FakeAnthropic.start()]);
    realisticReply(anthropic, 'Anthropic');
    // `nest build` empties dist/ first: tolerate a build running at the same time (npm test builds in pretest).
    await waitFor(() => existsSync(DIST_MAIN), 45_000, 500);
    svc = await ServiceProcess.spawn({
      AI_SERVICE_API_KEY: KEY,
      REDIS_URL: redis.url(),
      ANTHROPIC_API_KEY: 'sk-ant-sigterm',
      ANTHROPIC_BASE_URL: anthropic.url,
      RATE_LIMIT_PER_MINUTE: '100000',
      LLM_TIMEOUT_MS: '10000',
      SHUTDOWN_GRACE_MS: '10000',
    });
    await svc.ready();
  });
  afterAll(async () => {
    await svc?.stop('SIGKILL');
    await anthropic?.close();
    await redis?.stop();
  });

  it('finishes every in-flight request with 200, refuses new connections, then exits 0', async () => {
    expect((await post(svc.port, '/api/chat/message', { message: 'calentamiento' })).status).toBe(200);
    await waitFor(() => costTotals(redis).calls === 1, 5000, 20);
    const costsBefore = costTotals(redis);
    anthropic.reset();
    // Slow first byte for everyone, and slow chunks so the SSE answers are mid-body for a while.
    anthropic.latency({ firstByteMs: PROVIDER_DELAY_MS, chunkMs: 60 });
    const idle = await idleKeepAlive(svc.port);

    const inFlight = [
      ...Array.from({ length: 6 }, (_, i) =>
        post(svc.port, '/api/chat/message', { message: `¿Cómo emito una factura? (${i})` }),
      ),
      ...Array.from({ length: 2 }, (_, i) =>
        post(svc.port, '/api/chat/message/stream', { message: `¿Qué es un DTE 52? (${i})` }, 'text/event-stream'),
      ),
      ...Array.from({ length: 2 }, (_, i) =>
        post(svc.port, '/api/chat', { message: `¿Y la guía? (${i})`, session_id: `chat_9_0000000${i}` }),
      ),
      ...Array.from({ length: 2 }, () => post(svc.port, '/api/ai/validate', odooCall())),
    ];
    // All of them are waiting on the (slow) provider.
    await waitFor(() => anthropic.requests.length >= inFlight.length, 5000, 10);

    const signalAt = Date.now();
    svc.child.kill('SIGTERM');
    let refusedAt = 0;
    await waitFor(
      async () => {
        const r = await tryConnect(svc.port);
        if (r !== 'connected') refusedAt = Date.now();
        return r === 'ECONNREFUSED';
      },
      3000,
      10,
    );

    const answers = await Promise.all(inFlight);
    const exitCode = await svc.exited;
    const exitedAt = Date.now();
    const idleClosedAt = await idle.closed;
    const lastAnswer = Math.max(...answers.map((a) => a.endedAt));
    console.log(
      JSON.stringify({
        inFlight: answers.length,
        statuses: answers.map((a) => a.status),
        refusedAfterMs: refusedAt - signalAt,
        lastAnswerAfterMs: lastAnswer - signalAt,
        idleKeepAliveClosedAfterMs: idleClosedAt - signalAt,
        exitAfterMs: exitedAt - signalAt,
        exitCode,
      }),
    );

    // New connections were refused before the in-flight requests had even finished.
    expect(refusedAt).toBeGreaterThan(0);
    expect(refusedAt).toBeLessThan(lastAnswer);
    expect(await tryConnect(svc.port)).toBe('ECONNREFUSED');
    // Every in-flight request completed, whole.
    for (const a of answers) expect(a.status).toBe(200);
    for (const a of answers.slice(0, 6))
      expect(JSON.parse(a.body)).toMatchObject({ llm_used: 'anthropic', cost_usd: expect.any(Number) });
    for (const a of answers.slice(6, 8)) expect(a.body).toMatch(/event: done\ndata: \{.*"llm_used":"anthropic"/);
    for (const a of answers.slice(8, 10))
      expect(JSON.parse(a.body)).toMatchObject({
        llm_used: 'anthropic',
        session_id: expect.stringMatching(/^chat_9_/),
      });
    for (const a of answers.slice(10))
      expect(JSON.parse(a.body)).toMatchObject({ recommendation: expect.any(String), llm_used: 'anthropic' });
    // The provider answered after the signal: the requests really were in flight.
    expect(lastAnswer - signalAt).toBeGreaterThan(PROVIDER_DELAY_MS / 2);
    // An idle keep-alive client neither keeps the process alive nor waits for the grace period.
    expect(idleClosedAt - signalAt).toBeLessThan(lastAnswer - signalAt + 500);
    // Clean exit, after the last answer.
    expect(exitCode).toBe(0);
    expect(svc.signal).toBeNull();
    expect(exitedAt).toBeGreaterThanOrEqual(lastAnswer);
    const events = svc.logLines().map((l) => l.event);
    expect(events).toContain('shutdown_started');
    expect(events).toContain('shutdown_complete');
    expect(events).not.toContain('shutdown_forced');
    expect(events).not.toContain('cost_pending_lost_on_shutdown');
    // The answers' costs reached Redis before the client was closed: one priced call per 200.
    const costsAfter = costTotals(redis);
    expect(costsAfter.calls - costsBefore.calls).toBe(answers.filter((a) => a.status === 200).length);
    const answeredNano = answers
      .slice(0, 6)
      .concat(answers.slice(8))
      .reduce((s, a) => s + Math.round(JSON.parse(a.body).cost_usd * 1e9), 0);
    const streamedNano = answers
      .slice(6, 8)
      .reduce((s, a) => s + Math.round(JSON.parse(/event: done\ndata: (.*)\n/.exec(a.body)![1]).cost_usd * 1e9), 0);
    expect(Math.abs(costsAfter.costNano - costsBefore.costNano - answeredNano - streamedNano)).toBeLessThanOrEqual(
      answers.length * 10,
    );
    await sleep(0);
  });
});
