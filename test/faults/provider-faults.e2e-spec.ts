import { Fault } from '../fakes/fake-server';
import { clearShare, FaultStack, faultShare, metricSum, metricsText, startFaultStack } from '../helpers/fault-stack';
import { jsonShot, percentile, Sample, startLoad, statusTable } from '../helpers/load-loop';
import { sleep, waitFor } from '../helpers/ports';

const TIMEOUT_MS = 1000;
const HALF_OPEN_MS = 1500;
const LOAD_MS = 2500;
const WORKERS = 6;

/** Chat turns, half JSON and half SSE; the stream's `done` answer becomes the sample's json. */
function chatShot(stack: FaultStack) {
  const { url, key } = stack.svc;
  return async (w: number, seq: number): Promise<Sample> => {
    const body = { message: `¿Cómo emito una nota de crédito? (w${w}-${seq})` };
    if (w % 2 === 0) return jsonShot('chat', `${url}/api/chat/message`, { key, body });
    const s = await jsonShot('chat', `${url}/api/chat/message/stream`, {
      key,
      body,
      headers: { accept: 'text/event-stream' },
    });
    if (s.status !== 200 || typeof s.json !== 'string') return s;
    const done = s.json.split('\n\n').find((b: string) => b.startsWith('event: done'));
    return done
      ? { ...s, json: JSON.parse(done.slice(done.indexOf('data: ') + 6)) }
      : { ...s, label: 'chat_stream_error', json: s.json };
  };
}

const providerState = async (stack: FaultStack, p: 'anthropic' | 'openai') =>
  (await stack.svc.call('GET', '/health')).json.dependencies[p].status as string;

interface Outcome {
  samples: Sample[];
  byLlm: Record<string, number>;
  successRate: number;
  fallbacks: number;
  sawCircuitOpen: boolean;
  p50: number;
  p95: number;
}

/** Runs the chat load once; watches /health for an open circuit while it runs. */
async function underLoad(stack: FaultStack, ms = LOAD_MS, workers = WORKERS): Promise<Outcome> {
  const fallbacksBefore = metricSum(await metricsText(stack.svc), 'llm_fallbacks_total');
  const load = startLoad(workers, ms, chatShot(stack));
  let sawCircuitOpen = false;
  let running = true;
  void load.done.then(() => (running = false));
  const watcher = (async () => {
    while (running) {
      if ((await providerState(stack, 'anthropic')) === 'circuit_open') sawCircuitOpen = true;
      await sleep(100);
    }
  })();
  const samples = await load.done;
  await watcher;
  const byLlm: Record<string, number> = {};
  for (const s of samples)
    if (s.status === 200 && s.json?.llm_used) byLlm[s.json.llm_used] = (byLlm[s.json.llm_used] ?? 0) + 1;
  const ok = samples.filter((s) => s.status === 200 && s.json?.llm_used).length;
  const lat = samples.map((s) => s.end - s.start);
  const out = {
    samples,
    byLlm,
    successRate: ok / samples.length,
    fallbacks: metricSum(await metricsText(stack.svc), 'llm_fallbacks_total') - fallbacksBefore,
    sawCircuitOpen,
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
  };
  console.log(
    JSON.stringify({
      requests: samples.length,
      statuses: statusTable(samples),
      byLlm,
      successRate: out.successRate,
      fallbacks: out.fallbacks,
      sawCircuitOpen,
      p50: out.p50,
      p95: out.p95,
    }),
  );
  return out;
}

/** After the fault clears: light traffic until the half-open probes close the circuits; returns ms. */
async function timeToClose(stack: FaultStack, providers: ('anthropic' | 'openai')[] = ['anthropic']): Promise<number> {
  const cleared = Date.now();
  const load = startLoad(1, HALF_OPEN_MS + 6000, chatShot(stack));
  try {
    for (const p of providers)
      await waitFor(async () => (await providerState(stack, p)) === 'configured', HALF_OPEN_MS + 6000, 100);
  } finally {
    load.stop();
    await load.done;
  }
  return Date.now() - cleared;
}

/**
 * Anthropic fails in the ways it does in production, under concurrent chat load (JSON and SSE):
 * the fallback chain (OpenAI, then the offline answer) must keep every answer a 200, `llm_used`
 * must say who answered, `llm_fallbacks_total` must grow, and the circuit breaker must open
 * (`/health` → circuit_open) and close again through its half-open probe once the fault clears.
 */
describe('fault: provider failures under load', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await startFaultStack({
      LLM_TIMEOUT_MS: String(TIMEOUT_MS),
      LLM_MAX_RETRIES: '1',
      LLM_BREAKER_THRESHOLD: '5',
      LLM_BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
    });
  });
  afterAll(() => stack?.close());
  beforeEach(async () => {
    for (const f of [stack.anthropic, stack.openai]) {
      clearShare(f);
      f.reset();
    }
    // Each case starts with both circuits closed.
    await timeToClose(stack, ['anthropic']);
    expect(await providerState(stack, 'openai')).toBe('configured');
  });

  const expectAllAnswered = (o: Outcome) => {
    expect(o.samples.filter((s) => s.status !== 200)).toEqual([]);
    expect(o.samples.filter((s) => s.label !== 'chat')).toEqual([]); // no stream ended in an error event
    expect(o.successRate).toBe(1);
  };

  it('baseline: every answer from Anthropic, no fallback', async () => {
    const o = await underLoad(stack, 1500);
    expectAllAnswered(o);
    expect(o.byLlm).toEqual({ anthropic: o.samples.length });
    expect(o.fallbacks).toBe(0);
  });

  it('429 with retry-after on half of the Anthropic calls: 100% answered, the rest from OpenAI', async () => {
    faultShare(stack.anthropic, { status: 429, retryAfter: 1 }, 1, 2);
    const o = await underLoad(stack);
    expectAllAnswered(o);
    expect(o.byLlm.anthropic).toBeGreaterThan(0);
    expect(o.byLlm.openai).toBeGreaterThan(0);
    expect(o.byLlm.offline).toBeUndefined();
    expect(o.fallbacks).toBeGreaterThanOrEqual(o.byLlm.openai);
  });

  it.each<[string, Fault]>([
    ['529 overloaded', { status: 529 }],
    ['timeouts past LLM_TIMEOUT_MS', { delayMs: TIMEOUT_MS * 3 }],
    ['dropped connections', { drop: true }],
  ])(
    '%s on every Anthropic call: 100%% answered by OpenAI, breaker opens, then closes after the fault',
    async (_name, fault) => {
      stack.anthropic.fault(fault);
      const o = await underLoad(stack);
      expectAllAnswered(o);
      expect(o.byLlm.openai).toBe(o.samples.length);
      expect(o.fallbacks).toBeGreaterThanOrEqual(o.samples.length);
      expect(o.sawCircuitOpen).toBe(true);
      // The open breaker spares Anthropic: far fewer calls than chat turns.
      expect(stack.anthropic.requests.length).toBeLessThan(o.samples.length / 2);

      stack.anthropic.fault(null);
      const closeMs = await timeToClose(stack);
      console.log(JSON.stringify({ fault: _name, anthropicCalls: stack.anthropic.requests.length, closeMs }));
      expect(closeMs).toBeLessThan(HALF_OPEN_MS + 5000);
      const after = await underLoad(stack, 800, 2);
      expect(after.byLlm).toEqual({ anthropic: after.samples.length });
    },
  );

  it('both providers down (529 / 500): 100% answered offline from the knowledge base', async () => {
    stack.anthropic.fault({ status: 529 });
    stack.openai.fault({ status: 500 });
    const o = await underLoad(stack);
    expectAllAnswered(o);
    expect(o.byLlm).toEqual({ offline: o.samples.length });
    for (const s of o.samples) expect(s.json.message.length).toBeGreaterThan(20);
    expect(o.fallbacks).toBeGreaterThanOrEqual(o.samples.length);
    // A half-open circuit closes only through a probe, i.e. traffic that reaches it: heal OpenAI
    // first while Anthropic still fails, then Anthropic.
    stack.openai.fault(null);
    const openaiCloseMs = await timeToClose(stack, ['openai']);
    stack.anthropic.fault(null);
    const anthropicCloseMs = await timeToClose(stack, ['anthropic']);
    console.log(JSON.stringify({ openaiCloseMs, anthropicCloseMs }));
    expect(Math.max(openaiCloseMs, anthropicCloseMs)).toBeLessThan(HALF_OPEN_MS + 5000);
  });
});
