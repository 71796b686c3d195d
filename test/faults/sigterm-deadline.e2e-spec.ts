import { sleep, waitFor } from '../helpers/ports';
import { odooCall } from '../validation/validation-helpers';
import { Answer, costTotals, send, startSigtermStack } from './sigterm-helpers';

const GRACE_MS = 3000;

/**
 * A turn can take longer than the grace period (two providers × LLM_TIMEOUT_MS). Found by reading:
 * the force-exit timer cut such turns with exit 1, streams without a final event and their tokens
 * never recorded. Now the provider calls still running shortly before the deadline are aborted:
 * a stream ends with `event: error`, a JSON turn gets a 503 to retry elsewhere, a DTE validation
 * its rules' verdict (200), every aborted attempt is priced, and the process exits 0 in time.
 */
describe('fault: SIGTERM with turns longer than SHUTDOWN_GRACE_MS (compiled service)', () => {
  let stack: Awaited<ReturnType<typeof startSigtermStack>>;

  beforeAll(async () => {
    stack = await startSigtermStack({
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      LLM_TIMEOUT_MS: '30000',
      LLM_FIRST_TOKEN_TIMEOUT_MS: '30000',
      LLM_STREAM_IDLE_TIMEOUT_MS: '30000',
      LLM_MAX_RETRIES: '0',
    });
  });
  afterAll(() => stack?.close());

  it('aborts them before the deadline: final SSE event, 503 / rules verdict, usage recorded, exit 0', async () => {
    const { svc, anthropic, redis } = stack;
    expect((await send(svc.port, 'POST', '/api/chat/message', { message: 'hola' })).status).toBe(200);
    const before = costTotals(redis);
    anthropic.reset();

    // A stream that has started answering and then goes quiet (still within its idle limit)…
    anthropic.fault({ stallAfter: 3, times: 1 });
    const stream = send(
      svc.port,
      'POST',
      '/api/chat/message/stream',
      { message: '¿Qué es un DTE 52?' },
      { accept: 'text/event-stream' },
    );
    await waitFor(() => anthropic.requests.length >= 1, 5000, 10);
    await sleep(300);
    // …then a JSON turn and a DTE validation whose provider has not answered yet.
    anthropic.fault({ delayMs: 60_000 });
    const pending: Promise<Answer>[] = [
      send(svc.port, 'POST', '/api/chat/message', { message: '¿Cómo anulo una factura?' }),
      send(svc.port, 'POST', '/api/ai/validate', odooCall()),
    ];
    await waitFor(() => anthropic.requests.length >= 3, 5000, 10);

    const signalAt = Date.now();
    svc.child.kill('SIGTERM');
    // A cut connection is an answer too (status 0): it is what the client would have seen.
    const [sse, json, verdict] = await Promise.all(
      [stream, ...pending].map((p) =>
        p.catch((e: Error): Answer => ({ status: 0, headers: {}, body: e.message, endedAt: Date.now() })),
      ),
    );
    const exitCode = await svc.exited;
    const exitedAt = Date.now();
    const after = costTotals(redis);
    console.log(
      JSON.stringify({
        sseTail: sse.body.slice(-160),
        json: [json.status, json.headers['retry-after']],
        verdict: verdict.status,
        answersAfterMs: [sse, json, verdict].map((a) => a.endedAt - signalAt),
        exitAfterMs: exitedAt - signalAt,
        exitCode,
        callsRecorded: after.calls - before.calls,
      }),
    );

    expect(sse.status).toBe(200);
    expect(sse.body).toMatch(/event: delta\n/);
    expect(sse.body).toMatch(/event: error\ndata: \{"code":"shutting_down","detail":"[^"]+"\}\n\n$/);
    expect(json.status).toBe(503);
    expect(JSON.parse(json.body)).toMatchObject({ code: 'SHUTTING_DOWN', detail: expect.any(String) });
    expect(json.headers['retry-after']).toBeDefined();
    expect(verdict.status).toBe(200);
    expect(JSON.parse(verdict.body)).toMatchObject({ recommendation: expect.any(String) });
    // Aborted 0.75 s before the deadline, and every attempt priced (reported or estimated usage).
    for (const a of [sse, json, verdict]) expect(a.endedAt - signalAt).toBeLessThan(GRACE_MS);
    expect(after.calls - before.calls).toBe(3);
    expect(after.costNano).toBeGreaterThan(before.costNano);
    expect(exitCode).toBe(0);
    expect(exitedAt - signalAt).toBeLessThan(GRACE_MS);
    const events = svc.logLines().map((l) => l.event);
    expect(events).toContain('shutdown_aborting_in_flight');
    expect(events).toContain('shutdown_complete');
    expect(events).not.toContain('shutdown_forced');
  });
});
