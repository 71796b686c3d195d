import { FakeAnthropic } from '../fakes/fake-anthropic';
import { FakeOpenAI } from '../fakes/fake-openai';
import { DurableRedis } from '../helpers/durable-redis';
import { metricSum, metricsText, realisticReply } from '../helpers/fault-stack';
import { jsonShot, Sample, startLoad, statusClasses, statusTable } from '../helpers/load-loop';
import { sleep, waitFor } from '../helpers/ports';
import { RunningApp, startApp } from '../helpers/test-app';
import { odooCall } from '../validation/validation-helpers';

/** Parses an SSE body; the sample's json becomes the `done` answer, or the error event marked. */
async function streamShot(url: string, key: string, body: unknown): Promise<Sample> {
  const s = await jsonShot('chat_stream', url, { key, body, headers: { accept: 'text/event-stream' } });
  if (s.status !== 200 || typeof s.json !== 'string') return s;
  const events = s.json.split('\n\n').filter((b: string) => b.trim());
  const done = events.find((b: string) => b.startsWith('event: done'));
  if (done) return { ...s, json: JSON.parse(done.split('\n').find((l: string) => l.startsWith('data: '))!.slice(6)) };
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
  let redis: DurableRedis;
  let anthropic: FakeAnthropic;
  let openai: FakeOpenAI;
  let svc: RunningApp;

  beforeAll(async () => {
    [redis, anthropic, openai] = await Promise.all([DurableRedis.start(), FakeAnthropic.start(), FakeOpenAI.start()]);
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

  it('keeps validation at 200, answers chat 503 (never 500), loses no cost increment and recovers by itself', async () => {
    const promBefore = metricSum(await metricsText(svc), 'llm_cost_usd_total');
    const { url, key } = svc;
    const shot = (w: number, seq: number): Promise<Sample> => {
      const tag = `w${w}-${seq}`;
      switch (w % 6) {
        case 0:
          return seq % 3 === 0
            ? jsonShot('chat_session_new', `${url}/api/chat/session/new`, { key, body: { user_context: { company_name: 'Carga SpA' } } })
            : jsonShot('chat_message', `${url}/api/chat/message`, { key, body: { message: `¿Cómo anulo una factura? (${tag})` } });
        case 1:
          return jsonShot('chat_wizard', `${url}/api/chat`, { key, body: { message: `¿Qué es un DTE 61? (${tag})`, session_id: `chat_${w}_0000abcd`, context: { module: 'l10n_cl_dte' } } });
        case 2:
          return streamShot(`${url}/api/chat/message/stream`, key, { message: `¿Cómo emito una guía de despacho? (${tag})` });
        case 3:
        case 4:
          return jsonShot('validate', `${url}/api/ai/validate`, { key, body: odooCall() });
        default:
          return seq % 2
            ? jsonShot('live', `${url}/health/live`)
            : jsonShot('knowledge', `${url}/api/chat/knowledge/search?query=nota%20de%20credito`, { key });
      }
    };

    const load = startLoad(6, BASELINE_MS + OUTAGE_MS + AFTER_MS, shot);
    await sleep(BASELINE_MS);
    await redis.crash();
    const downAt = Date.now();
    await sleep(OUTAGE_MS);
    await redis.restart();
    const upAt = Date.now();
    const samples = await load.done;

    const table = statusTable(samples);
    const chat = samples.filter((s) => s.label.startsWith('chat'));
    const during = chat.filter((s) => s.start >= downAt + 100 && s.end <= upAt);
    const firstBack = chat.filter((s) => s.start >= upAt && s.status === 200).sort((a, b) => a.end - b.end)[0];
    const recoveryMs = firstBack ? firstBack.end - upAt : Infinity;
    console.log(JSON.stringify({ statuses: table, classes: statusClasses(samples), chatDuringOutage: statusClasses(during), recoveryMs }));

    // Nothing ever 500s (or drops a connection).
    expect(samples.filter((s) => s.status >= 500 && s.status !== 503 || s.status === 0)).toEqual([]);
    // Validation, knowledge search and liveness need no Redis: 200 throughout.
    for (const label of ['validate', 'knowledge', 'live']) expect(Object.keys(table[label])).toEqual(['200']);
    // Chat: 200 or 503 only; while Redis is down every chat call is a 503 with Retry-After and a Spanish detail.
    for (const s of chat) expect([200, 503]).toContain(s.status);
    expect(during.length).toBeGreaterThan(5);
    for (const s of during) {
      expect(s.status).toBe(503);
      expect(Number(s.headers!.get('retry-after'))).toBeGreaterThan(0);
      expect(s.json.detail).toMatch(/no está disponible.*intente nuevamente/);
    }
    // Streams never end with an error event because of Redis (the failure surfaces before the first byte).
    expect(table.chat_stream_error_event).toBeUndefined();
    // Recovery without restarting the service.
    expect(recoveryMs).toBeLessThan(5000);

    // Costs: every priced call reaches Redis once it is back (in-process Prometheus is the ground truth).
    const promDelta = metricSum(await metricsText(svc), 'llm_cost_usd_total') - promBefore;
    let report: any;
    await waitFor(async () => {
      report = (await svc.call('GET', '/metrics/costs?period=today')).json;
      return Math.abs(report.total_cost_usd - promDelta) < 1e-6;
    }, 20_000, 250).catch(() => undefined);
    const ok200 = (label: string) => samples.filter((s) => s.label === label && s.status === 200);
    const returned = (list: Sample[]) => list.reduce((n, s) => n + (s.json.cost_usd ?? 0), 0);
    const chatReturned = returned([...ok200('chat_message'), ...ok200('chat_wizard'), ...ok200('chat_stream')]);
    const validateReturned = returned(ok200('validate'));
    const providerCalls = [...anthropic.requests, ...openai.requests].filter((r) => !r.closedByClient).length;
    console.log(JSON.stringify({ promDelta, redisTotal: report.total_cost_usd, redisCalls: report.total_calls, providerCalls, chatReturned, redisChat: report.by_operation.chat.cost_usd, validateReturned, redisValidation: report.by_operation.dte_validation.cost_usd }));

    expect(report.total_cost_usd).toBeCloseTo(promDelta, 6);
    expect(report.total_calls).toBe(providerCalls);
    // Validation answers carry their whole cost; chat answers may miss calls whose turn then hit the outage.
    expect(report.by_operation.dte_validation.cost_usd).toBeCloseTo(validateReturned, 6);
    expect(report.by_operation.chat.cost_usd).toBeGreaterThanOrEqual(chatReturned - 1e-6);
    expect(report.total_cost_usd).toBeGreaterThan(0);
    // …and the pending queue was really exercised: calls were priced while Redis was down.
    expect(ok200('validate').filter((s) => s.start > downAt && s.end < upAt && s.json.cost_usd > 0).length).toBeGreaterThan(0);
  });
});
