import { CostRecorder } from '../../src/cost/cost.port';
import { LlmInterruptedError } from '../../src/llm/llm.types';
import { waitFor } from '../helpers/ports';
import { chatRequest, collect, metricValue, useFakeProviders } from './llm-harness';

const CLAUDE = 'uno dos tres cuatro cinco seis';
const GPT = 'alfa beta gama';

/** stream(): the commit point at the first content delta, before and after it. */
describe('LLM streaming against the fake providers', () => {
  const fake = useFakeProviders({});
  const { h } = fake;
  beforeEach(() => {
    fake.anthropic.reply({ text: CLAUDE, usage: { output_tokens: 9 } });
    fake.openai.reply(GPT);
    h.costRecords.length = 0;
  });

  it('streams Anthropic deltas and ends with done carrying the final usage and cost', async () => {
    const ttftBefore = await metricValue('llm_time_to_first_token_seconds_count', { provider: 'anthropic' });
    const s = await collect(h.llm.stream(chatRequest()));
    expect(s.error).toBeUndefined();
    expect(s.deltas).toEqual(['uno ', 'dos ', 'tres ', 'cuatro ', 'cinco ', 'seis']);
    expect(s.done).toMatchObject({ text: CLAUDE, provider: 'anthropic', fallbacks: [] });
    expect(s.done!.usage.output_tokens).toBe(9); // from message_delta, not message_start's 1
    expect(s.done!.cost_usd).toBeGreaterThan(0);
    expect(fake.anthropic.lastRequest!.body.stream).toBe(true);
    expect(h.costRecords).toEqual([
      expect.objectContaining({ provider: 'anthropic', outcome: 'success', operationId: s.done!.operation_id }),
    ]);
    expect(await metricValue('llm_time_to_first_token_seconds_count', { provider: 'anthropic' })).toBe(ttftBefore + 1);
  });

  it('streams from OpenAI with stream_options.include_usage and the usage chunk', async () => {
    fake.anthropic.fault({ status: 503 });
    const s = await collect(h.llm.stream(chatRequest()));
    expect(s.text).toBe(GPT);
    expect(s.done).toMatchObject({ provider: 'openai', fallbacks: ['anthropic'] });
    expect(s.done!.usage.output_tokens).toBe(4);
    expect(fake.openai.lastRequest!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it.each([
    ['529 overloaded as the first event of a 200 stream', { overloadedEvent: true }, 'overloaded'],
    ['429 before the stream', { status: 429 }, 'rate_limited'],
    ['a dropped connection', { drop: true }, 'connection'],
    ['a stream cut before any content delta', { streamCutAfter: 0 }, 'connection'],
    ['a malformed SSE event before any content', { malformed: true }, 'bad_response'],
  ])('falls back to OpenAI on %s (output had not started)', async (_n, fault, reason) => {
    fake.anthropic.fault(fault);
    const before = await metricValue('llm_fallbacks_total', {
      from: 'anthropic',
      to: 'openai',
      reason,
      output_started: 'false',
    });
    const s = await collect(h.llm.stream(chatRequest()));
    expect(s.error).toBeUndefined();
    expect(s.text).toBe(GPT); // nothing of Claude's leaked into the answer
    expect(s.done).toMatchObject({ provider: 'openai', fallbacks: ['anthropic'] });
    expect(
      await metricValue('llm_fallbacks_total', { from: 'anthropic', to: 'openai', reason, output_started: 'false' }),
    ).toBe(before + 1);
  });

  it('falls back when no first token arrives in time, and prices the input Anthropic reported', async () => {
    fake.anthropic.fault({ stallAfter: 0 }); // message_start + ping, then silence
    const started = Date.now();
    const s = await collect(h.llm.stream(chatRequest()));
    const elapsed = Date.now() - started;
    expect(s.done).toMatchObject({ provider: 'openai', fallbacks: ['anthropic'] });
    expect(elapsed).toBeGreaterThanOrEqual(750); // LLM_FIRST_TOKEN_TIMEOUT_MS = 800
    expect(elapsed).toBeLessThan(1400);
    const op = s.done!.operation_id;
    expect(h.costRecords.map((r) => [r.provider, r.outcome, r.operationId])).toEqual([
      ['anthropic', 'error', op],
      ['openai', 'success', op],
    ]);
    expect(h.costRecords[0].usage.output_tokens).toBeLessThanOrEqual(1); // message_start's placeholder
    expect(h.costRecords[0].usage.input_tokens).toBeGreaterThan(0);
    // cost_usd is the sum over both attempts, as the cost records price them.
    const cost = h.module.get(CostRecorder);
    const sum = h.costRecords.reduce((n, r) => n + cost.price(r.model, r.usage), 0);
    expect(s.done!.cost_usd).toBeCloseTo(sum, 8);
    expect(s.done!.cost_usd).toBeGreaterThan(cost.price(h.costRecords[1].model, h.costRecords[1].usage));
  });

  it('after the first delta, a cut stream ends with a coded error: no fallback, no silent truncation', async () => {
    fake.anthropic.fault({ streamCutAfter: 2 });
    const before = await metricValue('llm_fallbacks_total', {
      from: 'anthropic',
      to: 'none',
      reason: 'connection',
      output_started: 'true',
    });
    const s = await collect(h.llm.stream(chatRequest()));
    expect(s.deltas).toEqual(['uno ', 'dos ']);
    expect(s.done).toBeUndefined();
    expect(s.error).toBeInstanceOf(LlmInterruptedError);
    expect(s.error).toMatchObject({
      code: 'provider_stream_failed',
      provider: 'anthropic',
      detail: expect.stringContaining('interrumpió'),
    });
    expect(s.error.partial.text_length).toBe('uno dos '.length);
    expect(fake.openai.requests).toHaveLength(0);
    expect(
      await metricValue('llm_fallbacks_total', {
        from: 'anthropic',
        to: 'none',
        reason: 'connection',
        output_started: 'true',
      }),
    ).toBe(before + 1);
    // The aborted attempt is priced: input from message_start, output at least what was streamed.
    expect(h.costRecords).toEqual([
      expect.objectContaining({ provider: 'anthropic', outcome: 'error', operationId: s.error.partial.operation_id }),
    ]);
    expect(h.costRecords[0].usage.output_tokens).toBeGreaterThanOrEqual(2);
    expect(s.error.partial.cost_usd).toBeGreaterThan(0);
  });

  it('ends with stream_idle_timeout when the provider goes silent mid-answer', async () => {
    fake.anthropic.fault({ stallAfter: 2 });
    const started = Date.now();
    const s = await collect(h.llm.stream(chatRequest()));
    expect(s.deltas).toEqual(['uno ', 'dos ']);
    expect(s.error).toMatchObject({ code: 'stream_idle_timeout' });
    expect(Date.now() - started).toBeLessThan(1200); // LLM_STREAM_IDLE_TIMEOUT_MS = 400
    expect(h.costRecords[0]).toMatchObject({ outcome: 'aborted' });
  });

  it('ends with stream_timeout when the whole answer outlasts LLM_TIMEOUT_MS', async () => {
    fake.anthropic.latency({ chunkMs: 300 }); // each gap under the idle limit, the total over 1.5 s
    fake.anthropic.reply('a b c d e f g h i j k l');
    const s = await collect(h.llm.stream(chatRequest()));
    expect(s.deltas.length).toBeGreaterThan(2);
    expect(s.error).toMatchObject({ code: 'stream_timeout' });
  });

  it('a mid-stream cut on OpenAI gives the same coded error', async () => {
    fake.anthropic.fault({ status: 500 });
    fake.openai.fault({ streamCutAfter: 1 });
    const s = await collect(h.llm.stream(chatRequest()));
    expect(s.deltas).toEqual(['alfa ']);
    expect(s.error).toMatchObject({ code: 'provider_stream_failed', provider: 'openai' });
    // OpenAI reports usage only at the end: the cut attempt is priced from estimates.
    const rec = h.costRecords.find((r) => r.provider === 'openai')!;
    expect(rec.outcome).toBe('error');
    expect(rec.usage.input_tokens).toBeGreaterThan(0);
  });

  it('aborting the request signal mid-stream cancels the provider call and bills the partial answer', async () => {
    fake.anthropic.latency({ chunkMs: 100 });
    fake.anthropic.reply('a b c d e f g h i j k l m n o p');
    const controller = new AbortController();
    const deltas: string[] = [];
    let error: any;
    try {
      for await (const ev of h.llm.stream(chatRequest({ signal: controller.signal }))) {
        if (ev.type === 'delta') deltas.push(ev.text);
        if (deltas.length === 2) controller.abort();
      }
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'client_aborted' });
    expect(deltas.length).toBeLessThan(5);
    await waitFor(() => fake.anthropic.lastRequest!.closedByClient === true, 2000);
    expect(h.costRecords).toEqual([expect.objectContaining({ provider: 'anthropic', outcome: 'aborted' })]);
    expect(fake.openai.requests).toHaveLength(0);
  });

  it('a consumer that stops reading early aborts the provider stream too', async () => {
    fake.anthropic.latency({ chunkMs: 50 });
    fake.anthropic.reply('a b c d e f g h i j k l m n o p');
    for await (const ev of h.llm.stream(chatRequest())) if (ev.type === 'delta') break;
    await waitFor(() => fake.anthropic.lastRequest!.closedByClient === true, 2000);
    expect(h.costRecords).toEqual([expect.objectContaining({ provider: 'anthropic', outcome: 'aborted' })]);
  });

  it('aborting during a hanging complete() returns promptly with client_aborted', async () => {
    fake.anthropic.fault({ delayMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    await expect(h.llm.complete(chatRequest({ signal: controller.signal }))).rejects.toMatchObject({
      code: 'client_aborted',
    });
    expect(Date.now() - started).toBeLessThan(600);
    expect(fake.openai.requests).toHaveLength(0);
    await waitFor(() => fake.anthropic.lastRequest!.closedByClient === true, 2000);
  });
});
