import { FakeAnthropic } from '../fakes/fake-anthropic';
import { FakeOpenAI } from '../fakes/fake-openai';
import { TestRedis } from '../helpers/redis-server';
import { metricSum, metricsText, realisticReply } from '../helpers/fault-stack';
import { jsonShot, percentile, Sample, startLoad, statusClasses, statusTable } from '../helpers/load-loop';
import { sleep, waitFor } from '../helpers/ports';
import { RunningApp, startApp } from '../helpers/test-app';
import { odooCall } from '../validation/validation-helpers';

/** Parses an SSE body; the sample's json becomes the `done` answer, or the error event marked. */
async function streamShot(url: string, key: string, body: unknown): Promise<Sample> {
  const s = await jsonShot('chat_stream', url, { key, body, headers: { accept: 'text/event-stream' } });
  if (s.status !== 200 || typeof s.json !== 'string') return s;
  const events = s.json.split('\n\n').filter((b: string) => b.trim());
  const done = events.find((b: string) => b.startsWith('event: done'));
  if (done)
    return {
      ...s,
      json: JSON.parse(
        done
          .split('\n')
          .find((l: string) => l.startsWith('data: '))!
          .slice(6),
      ),
    };
  return { ...s, label: 'chat_stream_error_event', json: events };
}

const BASELINE_MS = 2000;
const OUTAGE_MS = 3000;
const AFTER_MS = 4000;

/**
 * Redis crashes (SIGKILL) and comes back while a mixed load runs against the real service:
 * validations must keep answering 200, chat must answer 503 + Retry-After + a Spanish detail
 * (never 500), every priced LLM call must reach the cost counters once Redis is back, and chat
 * must recover within seconds without restarting the service.
 */
describe('fault: Redis stopped and restarted under load', () => {
  let redis: TestRedis;
  let anthropic: FakeAnthropic;
  let openai: FakeOpenAI;
  let svc: RunningApp;

  beforeAll(async () => {
    [redis, anthropic, openai] = await Promise.all([
      TestRedis.start({ durable: true }),
      FakeAnthropic.start(),
      FakeOpenAI.start(),
    ]);
    realisticReply(anthropic, 'Anthropic');
    realisticReply(openai, 'OpenAI');
    svc = await startApp({
      REDIS_URL: redis.url(),
      ANTHROPIC_API_KEY: 'sk-ant-fault-test',
      ANTHROPIC_BASE_URL: anthropic.url,
      OPENAI_API_KEY: 'sk-fault-test',
      OPENAI_BASE_URL: openai.url,
      RATE_LIMIT_PER_MINUTE: '100000',
      LLM_MAX_RETRIES: '0',
    });
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200, 15_000);
  });
  afterAll(async () => {
    await svc?.close();
    await Promise.all([anthropic?.close(), openai?.close(), redis?.destroy()]);
  });

  /** The mixed load: chat (JSON, wizard, SSE, new sessions), validations, knowledge search, liveness. */
  const shot = (w: number, seq: number): Promise<Sample> => {
    const { url, key } = svc;
    const tag = `w${w}-${seq}`;
    switch (w % 6) {
      case 0:
        return seq % 3 === 0
          ? jsonShot('chat_session_new', `${url}/api/chat/session/new`, {
              key,
              body: { user_context: { company_name: 'Carga SpA' } },
            })
          : jsonShot('chat_message', `${url}/api/chat/message`, {
              key,
              body: { message: `¿Cómo anulo una factura? (${tag})` },
            });
      case 1:
        return jsonShot('chat_wizard', `${url}/api/chat`, {
          key,
          body: {
            message: `¿Qué es un DTE 61? (${tag})`,
            session_id: `chat_${w}_0000abcd`,
            context: { module: 'l10n_cl_dte' },
          },
        });
      case 2:
        return streamShot(`${url}/api/chat/message/stream`, key, {
          message: `¿Cómo emito una guía de despacho? (${tag})`,
        });
      case 3:
      case 4:
        return jsonShot('validate', `${url}/api/ai/validate`, { key, body: odooCall() });
      default:
        return seq % 2
          ? jsonShot('live', `${url}/health/live`)
          : jsonShot('knowledge', `${url}/api/chat/knowledge/search?query=nota%20de%20credito`, { key });
    }
  };

  /** Runs the load around one outage; returns the samples and the outage window. */
  async function loadAround(
    outage: { begin(): Promise<void> | void; end(): Promise<void> | void },
    outageMs = OUTAGE_MS,
  ) {
    anthropic.reset();
    openai.reset();
    const costsBefore = (await svc.call('GET', '/metrics/costs?period=today')).json;
    const promBefore = metricSum(await metricsText(svc), 'llm_cost_usd_total');
    const load = startLoad(6, BASELINE_MS + outageMs + AFTER_MS, shot);
    // The cost module's pending queue, as Prometheus sees it (llm_cost_pending_calls).
    let maxPending = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        maxPending = Math.max(maxPending, metricSum(await metricsText(svc), 'llm_cost_pending_calls'));
        await sleep(200);
      }
    })();
    await sleep(BASELINE_MS);
    const downAt = Date.now();
    await outage.begin();
    // One chat call made in the middle of the outage, outside the load's timing: a 503, and soon.
    await sleep(300);
    const probe = jsonShot('probe', `${svc.url}/api/chat/message`, { key: svc.key, body: { message: '¿Sigue ahí?' } });
    await sleep(outageMs - 300);
    await outage.end();
    const upAt = Date.now();
    const samples = await load.done;
    watching = false;
    await watcher;
    return { samples, downAt, upAt, costsBefore, promBefore, maxPending: () => maxPending, probe: await probe };
  }

  /** Every priced call reaches Redis once it is back, exactly once (in-process Prometheus is the ground truth). */
  async function reconcileCosts(run: Awaited<ReturnType<typeof loadAround>>) {
    const { samples, costsBefore, promBefore, maxPending } = run;
    const promDelta = metricSum(await metricsText(svc), 'llm_cost_usd_total') - promBefore;
    let report: any;
    const delta = () => report.total_cost_usd - costsBefore.total_cost_usd;
    await waitFor(
      async () => {
        const r = await svc.call('GET', '/metrics/costs?period=today');
        if (r.status === 200) report = r.json;
        return !!report && Math.abs(delta() - promDelta) < 1e-6;
      },
      20_000,
      250,
    ).catch(() => undefined);
    const ok200 = (label: string) => samples.filter((s) => s.label === label && s.status === 200);
    const returned = (list: Sample[]) => list.reduce((n, s) => n + (s.json.cost_usd ?? 0), 0);
    const op = (r: any, name: string) => r.by_operation[name]?.cost_usd ?? 0;
    const chatReturned = returned([...ok200('chat_message'), ...ok200('chat_wizard'), ...ok200('chat_stream')]);
    const validateReturned = returned(ok200('validate'));
    const providerCalls = [...anthropic.requests, ...openai.requests].filter((r) => !r.closedByClient).length;
    const numbers = {
      promDelta,
      redisDelta: delta(),
      redisCalls: report.total_calls - costsBefore.total_calls,
      providerCalls,
      chatReturned,
      redisChat: op(report, 'chat') - op(costsBefore, 'chat'),
      validateReturned,
      redisValidation: op(report, 'dte_validation') - op(costsBefore, 'dte_validation'),
      maxPendingCalls: maxPending(),
      pendingAfter: metricSum(await metricsText(svc), 'llm_cost_pending_calls'),
    };
    console.log(JSON.stringify(numbers));
    expect(numbers.redisDelta).toBeCloseTo(promDelta, 6);
    expect(numbers.redisCalls).toBe(providerCalls);
    // Validation answers carry their whole cost; chat answers may miss calls whose turn then hit the outage.
    expect(numbers.redisValidation).toBeCloseTo(validateReturned, 6);
    expect(numbers.redisChat).toBeGreaterThanOrEqual(chatReturned - 1e-6);
    expect(numbers.redisDelta).toBeGreaterThan(0);
    // …and the pending queue was really exercised (calls priced while Redis was out), then drained.
    expect(numbers.maxPendingCalls).toBeGreaterThan(0);
    expect(numbers.pendingAfter).toBe(0);
  }

  function statusChecks(run: Awaited<ReturnType<typeof loadAround>>, minDuring: number) {
    const { samples, downAt, upAt, probe } = run;
    const table = statusTable(samples);
    expect(probe.status).toBe(503);
    expect(Number(probe.headers!.get('retry-after'))).toBeGreaterThan(0);
    expect(probe.json.detail).toMatch(/no está disponible.*intente nuevamente/);
    expect(probe.end - probe.start).toBeLessThan(4000);
    const chat = samples.filter((s) => s.label.startsWith('chat'));
    // Calls that started and ended inside the outage (after the client noticed it).
    const during = chat.filter((s) => s.start >= downAt + 100 && s.end <= upAt);
    const firstBack = chat.filter((s) => s.start >= upAt && s.status === 200).sort((a, b) => a.end - b.end)[0];
    const recoveryMs = firstBack ? firstBack.end - upAt : Infinity;
    if (process.env.FAULT_TIMELINE)
      console.log(
        chat
          .filter((s) => s.end >= downAt - 500 && s.start <= upAt + 500)
          .map((s) => `${s.label} +${s.start - downAt}ms ${s.end - s.start}ms ${s.status}`)
          .join('\n'),
      );
    // Latency of calls that overlapped the outage (a hung Redis costs time, never a hang).
    const overlapping = (label: string) =>
      samples
        .filter((s) => s.label.startsWith(label) && s.end >= downAt && s.start <= upAt)
        .map((s) => s.end - s.start);
    const lat = (ms: number[]) => ({
      n: ms.length,
      p50: percentile(ms, 50),
      p95: percentile(ms, 95),
      max: Math.max(0, ...ms),
    });
    const validateMs = overlapping('validate');
    const chatMs = overlapping('chat');
    console.log(
      JSON.stringify({
        probeMs: probe.end - probe.start,
        statuses: table,
        classes: statusClasses(samples),
        chatDuringOutage: statusClasses(during),
        recoveryMs,
        validateDuringOutage: lat(validateMs),
        chatDuringOutage_ms: lat(chatMs),
      }),
    );

    // Nothing ever 500s (or drops a connection).
    expect(samples.filter((s) => (s.status >= 500 && s.status !== 503) || s.status === 0)).toEqual([]);
    // Validation, knowledge search and liveness need no Redis: 200 throughout.
    for (const label of ['validate', 'knowledge', 'live']) expect(Object.keys(table[label])).toEqual(['200']);
    // Chat: 200 or 503 only; while Redis is out every chat call is a 503 with Retry-After and a Spanish detail.
    for (const s of chat) expect([200, 503]).toContain(s.status);
    expect(during.length).toBeGreaterThanOrEqual(minDuring);
    for (const s of during) {
      expect(s.status).toBe(503);
      expect(Number(s.headers!.get('retry-after'))).toBeGreaterThan(0);
      expect(s.json.detail).toMatch(/no está disponible.*intente nuevamente/);
    }
    // A stream whose deltas were already out when Redis went away ends with a coded error event
    // (its turn could not be saved), never silently; one that starts during the outage gets a plain 503.
    for (const s of samples.filter((x) => x.label === 'chat_stream_error_event')) {
      expect(s.start).toBeLessThan(upAt);
      expect(s.end).toBeGreaterThan(downAt);
      const last = (s.json as string[])[(s.json as string[]).length - 1];
      expect(last).toMatch(/^event: error\ndata: \{.*"code":.*"detail":"[^"]+"/);
    }
    // Recovery without restarting the service.
    expect(recoveryMs).toBeLessThan(5000);
    return { validateMs, chatMs };
  }

  it('crash (SIGKILL) and restart: validation 200 throughout, chat 503 never 500, no cost increment lost, recovers by itself', async () => {
    const run = await loadAround({ begin: () => redis.stop(), end: () => redis.restart() });
    statusChecks(run, 5);
    await reconcileCosts(run);
  });

  it('freeze (SIGSTOP, sockets open, no answers) and thaw: the same, with bounded latency instead of hangs', async () => {
    // A frozen Redis is noticed only when commands time out (1.5 s each in the store), so a chat
    // call takes ~3 s to fail: the outage lasts longer so that whole calls fit inside it.
    const run = await loadAround({ begin: () => redis.freeze(), end: () => redis.thaw() }, 6000);
    // Few load calls fit whole inside the freeze (each waits out timeouts): the probe is the check.
    const { validateMs, chatMs } = statusChecks(run, 0);
    // Odoo waits for the validation before posting the invoice: slower, but never hung on Redis.
    expect(Math.max(...validateMs)).toBeLessThan(12_000);
    expect(Math.max(...chatMs)).toBeLessThan(12_000);
    await reconcileCosts(run);
  });
});
