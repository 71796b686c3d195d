import http from 'node:http';
import net from 'node:net';
import { waitFor } from '../helpers/ports';
import { send, startSigtermStack, tryConnect } from './sigterm-helpers';

const GRACE_MS = 10_000;

/**
 * Every pooling client (nginx upstream keep-alive, an ingress, requests.Session, undici) keeps its
 * connection open after an answer. SIGTERM with such a client mid-turn must still drain at once:
 * the answer says `Connection: close`, the socket is closed after it, and the process exits 0
 * right after the last answer — not when SHUTDOWN_GRACE_MS runs out.
 */
describe('fault: SIGTERM with keep-alive clients (compiled service)', () => {
  let stack: Awaited<ReturnType<typeof startSigtermStack>>;

  beforeAll(async () => {
    stack = await startSigtermStack({ SHUTDOWN_GRACE_MS: String(GRACE_MS), LLM_TIMEOUT_MS: '20000' });
  });
  afterAll(() => stack?.close());

  it('answers in-flight turns with Connection: close and exits 0 within a second of the last answer', async () => {
    const { svc, anthropic } = stack;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    // Warm the pool: these sockets stay open (idle) after their answers.
    const warm = await Promise.all(
      [0, 1, 2].map(() => send(svc.port, 'POST', '/api/chat/message', { message: 'hola' }, { agent })),
    );
    expect(warm.map((a) => [a.status, a.headers.connection])).toEqual([
      [200, 'keep-alive'],
      [200, 'keep-alive'],
      [200, 'keep-alive'],
    ]);
    anthropic.reset();
    anthropic.latency({ firstByteMs: 800 });

    // Two turns in flight on pooled sockets, one idle pooled socket left over.
    const inFlight = [0, 1].map((i) =>
      send(svc.port, 'POST', '/api/chat/message', { message: `¿Cómo anulo una factura? (${i})` }, { agent }),
    );
    await waitFor(() => anthropic.requests.length >= 2, 5000, 10);

    const readyBefore = await readinessOn(svc.port);
    const signalAt = Date.now();
    svc.child.kill('SIGTERM');
    await waitFor(async () => (await tryConnect(svc.port)) === 'ECONNREFUSED', 3000, 10);
    const refusedAt = Date.now();

    const answers = await Promise.all(inFlight);
    const lastAnswer = Math.max(...answers.map((a) => a.endedAt));
    const exitCode = await svc.exited;
    const exitedAt = Date.now();
    agent.destroy();
    console.log(
      JSON.stringify({
        statuses: answers.map((a) => a.status),
        connection: answers.map((a) => a.headers.connection),
        refusedAfterMs: refusedAt - signalAt,
        lastAnswerAfterMs: lastAnswer - signalAt,
        exitAfterLastAnswerMs: exitedAt - lastAnswer,
        exitCode,
      }),
    );

    expect(readyBefore).toBe(200);
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(JSON.parse(a.body)).toMatchObject({ llm_used: 'anthropic' });
      expect(a.headers.connection).toBe('close');
    }
    expect(refusedAt).toBeLessThan(lastAnswer);
    expect(exitCode).toBe(0);
    expect(exitedAt - lastAnswer).toBeLessThan(1000);
    const events = svc.logLines().map((l) => l.event);
    expect(events).toContain('shutdown_complete');
    expect(events).not.toContain('shutdown_forced');
  });
});

/** GET /health/ready on a fresh socket. */
function readinessOn(port: number): Promise<number> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('error', () => resolve(0));
    s.once('data', (d) => {
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(d.toString('latin1'))?.[1] ?? 0));
      s.destroy();
    });
    s.write('GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  });
}
