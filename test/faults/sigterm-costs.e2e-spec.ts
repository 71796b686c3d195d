import { sleep, waitFor } from '../helpers/ports';
import { odooCall } from '../validation/validation-helpers';
import { costTotals, send, startSigtermStack } from './sigterm-helpers';

const IN_FLIGHT = 6;

/**
 * Found by reading: Nest ran the cost ledger's final flush (CostService's shutdown hook) before the
 * HTTP server had drained, so the cost of a turn that completed during the drain while Redis was
 * briefly away was never written, and no event said so. Now the flush runs after the drain and
 * retries until the shutdown's final-writes deadline: the totals in Redis equal the answers given.
 */
describe('fault: SIGTERM while Redis blinks during the drain (compiled service)', () => {
  let stack: Awaited<ReturnType<typeof startSigtermStack>>;

  beforeAll(async () => {
    stack = await startSigtermStack(
      { SHUTDOWN_GRACE_MS: '10000', LLM_TIMEOUT_MS: '20000', VALIDATION_LLM_TIMEOUT_MS: '8000' },
      { durable: true },
    );
  });
  afterAll(() => stack?.close());

  it('writes the cost of every turn answered during the drain before exiting 0', async () => {
    const { svc, anthropic, redis } = stack;
    expect((await send(svc.port, 'POST', '/api/ai/validate', odooCall())).status).toBe(200);
    await waitFor(() => costTotals(redis).calls === 1, 5000, 20);
    const before = costTotals(redis);
    anthropic.reset();
    anthropic.latency({ firstByteMs: 1200 });

    // Validations answer 200 with or without Redis (Odoo reads anything else as "valid").
    const inFlight = Array.from({ length: IN_FLIGHT }, () => send(svc.port, 'POST', '/api/ai/validate', odooCall()));
    await waitFor(() => anthropic.requests.length >= IN_FLIGHT, 5000, 10);
    const signalAt = Date.now();
    svc.child.kill('SIGTERM');
    await sleep(300);
    await redis.stop(); // SIGKILL: gone when the provider answers and the costs are written
    const answers = await Promise.all(inFlight);
    await sleep(1000);
    await redis.restart();
    const exitCode = await svc.exited;
    const exitAfterMs = Date.now() - signalAt;

    const after = costTotals(redis);
    const answered = answers.filter((a) => a.status === 200 && JSON.parse(a.body).llm_used === 'anthropic');
    const events = svc.logLines().map((l) => l.event);
    console.log(
      JSON.stringify({
        statuses: answers.map((a) => a.status),
        answeredByAnthropic: answered.length,
        callsWritten: after.calls - before.calls,
        exitCode,
        exitAfterMs,
        costEvents: events.filter((e) => /^cost_|^shutdown_|^redis_client_closed/.test(e)),
      }),
    );
    expect(answered).toHaveLength(IN_FLIGHT);
    expect(after.calls - before.calls).toBe(answered.length);
    const answeredNano = answered.reduce((s, a) => s + Math.round(JSON.parse(a.body).cost_usd * 1e9), 0);
    expect(Math.abs(after.costNano - before.costNano - answeredNano)).toBeLessThanOrEqual(answered.length * 10);
    expect(exitCode).toBe(0);
    expect(events).not.toContain('cost_pending_lost_on_shutdown');
    // The order the runbook documents: drained, last flush, Redis closed, done. (Lines a few ms
    // apart may reach stdout out of order: their `time` is what counts.)
    const order = ['shutdown_drained', 'cost_ledger_flushed_on_shutdown', 'redis_client_closed', 'shutdown_complete'];
    const at = order.map((e) => svc.logLines().find((l) => l.event === e)?.time as number);
    for (const t of at) expect(t).toEqual(expect.any(Number));
    for (let i = 1; i < at.length; i++) expect(at[i]).toBeGreaterThanOrEqual(at[i - 1]);
  });
});
