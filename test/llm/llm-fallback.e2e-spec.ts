import type { FakeAnthropic } from '../fakes/fake-anthropic';
import { chatRequest, metricValue, useFakeProviders } from './llm-harness';

/** complete(): every fault on Anthropic, through the real SDKs over HTTP, and what routing does. */
describe('LLM routing (complete) against the fake providers', () => {
  const fake = useFakeProviders({});
  const { h } = fake;
  beforeEach(() => {
    fake.anthropic.reply('Respuesta de Claude.');
    fake.openai.reply('Respuesta de GPT.');
  });

  it('answers from Anthropic with normalized usage, cost and the seed log events (no prompt text logged)', async () => {
    const r = await h.llm.complete(chatRequest());
    expect(r).toMatchObject({
      text: 'Respuesta de Claude.',
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      fallbacks: [],
    });
    expect(r.usage.output_tokens).toBe(5);
    expect(r.cost_usd).toBeGreaterThan(0);
    expect(fake.openai.requests).toHaveLength(0);
    expect(h.logs.events(r.operation_id)).toEqual(['calling_anthropic_api', 'anthropic_api_success']);
    const success = h.logs.lines.find((l) => l.operation_id === r.operation_id && l.event === 'anthropic_api_success')!;
    expect(success).toMatchObject({
      input_tokens: r.usage.input_tokens,
      output_tokens: 5,
      latency_ms: expect.any(Number),
    });
    const logged = JSON.stringify(h.logs.lines);
    expect(logged).not.toContain('anulo una factura');
    expect(logged).not.toContain('test-anthropic-key');
  });

  const fallbackCases: [string, Parameters<FakeAnthropic['fault']>[0], string, number | undefined][] = [
    ['429 rate limit', { status: 429, retryAfter: 30 }, 'rate_limited', 429],
    ['500 server error', { status: 500 }, 'server_error', 500],
    ['529 overloaded', { status: 529 }, 'overloaded', 529],
    ['a response slower than LLM_TIMEOUT_MS', { delayMs: 3000 }, 'timeout', undefined],
    ['a dropped connection', { drop: true }, 'connection', undefined],
    ['a 200 with malformed JSON', { malformed: true }, 'bad_response', undefined],
  ];

  it.each(fallbackCases)('falls back to OpenAI on %s', async (_name, fault, reason, status) => {
    fake.anthropic.fault(fault);
    const before = await metricValue('llm_fallbacks_total', {
      from: 'anthropic',
      to: 'openai',
      reason,
      output_started: 'false',
    });
    const started = Date.now();
    const r = await h.llm.complete(chatRequest());
    expect(r).toMatchObject({ provider: 'openai', text: 'Respuesta de GPT.', fallbacks: ['anthropic'] });
    expect(Date.now() - started).toBeLessThan(2500); // bounded by LLM_TIMEOUT_MS (1.5 s) even for the hang
    expect(fake.anthropic.requests).toHaveLength(1);
    expect(fake.openai.requests).toHaveLength(1);
    expect(h.logs.events(r.operation_id)).toEqual([
      'calling_anthropic_api',
      'anthropic_api_error',
      'anthropic_failed_fallback_to_openai',
      'calling_openai_api',
      'openai_api_success',
    ]);
    const err = h.logs.lines.find((l) => l.operation_id === r.operation_id && l.event === 'anthropic_api_error')!;
    expect(err).toMatchObject({ reason, status });
    expect(
      await metricValue('llm_fallbacks_total', { from: 'anthropic', to: 'openai', reason, output_started: 'false' }),
    ).toBe(before + 1);
  });

  it.each([
    [401, 'authentication_error'],
    [403, 'permission_error'],
  ])('falls back to OpenAI when Anthropic refuses the key with %i, logging it as an error', async (status, type) => {
    fake.anthropic.fault({ status });
    const r = await h.llm.complete(chatRequest());
    expect(r.provider).toBe('openai');
    expect(r.fallbacks).toEqual(['anthropic']);
    expect(fake.openai.requests).toHaveLength(1);
    const err = h.logs.lines.find((l) => l.operation_id === r.operation_id && l.event === 'anthropic_api_error')!;
    expect(err).toMatchObject({ level: 'error', reason: 'unauthorized', status, error_type: type });
    expect(err.hint).toMatch(/check the key/);
    expect(h.logs.events(r.operation_id)).toEqual([
      'calling_anthropic_api',
      'anthropic_api_error',
      'anthropic_failed_fallback_to_openai',
      'calling_openai_api',
      'openai_api_success',
    ]);
  });

  it.each([
    [400, 'invalid_request_error'],
    [404, 'not_found_error'],
  ])(
    'does not send a request Anthropic refused with %i to OpenAI: answers offline and logs the error',
    async (status, type) => {
      fake.anthropic.fault({ status });
      const r = await h.llm.complete(chatRequest());
      expect(r.provider).toBe('offline');
      expect(r.fallbacks).toEqual(['anthropic']);
      expect(r.text).toContain('Respuesta automática sin modelo de IA');
      expect(fake.openai.requests).toHaveLength(0);
      const err = h.logs.lines.find((l) => l.operation_id === r.operation_id && l.event === 'anthropic_api_error')!;
      expect(err).toMatchObject({ level: 'error', reason: 'rejected', status, error_type: type });
      expect(h.logs.events(r.operation_id)).toEqual([
        'calling_anthropic_api',
        'anthropic_api_error',
        'anthropic_failed_fallback_to_offline',
        'no_fallback_available',
        'llm_offline_answer',
      ]);
    },
  );

  it('answers offline, saying so, when both providers fail', async () => {
    fake.anthropic.fault({ status: 529 });
    fake.openai.fault({ status: 503 });
    const r = await h.llm.complete(chatRequest());
    expect(r).toMatchObject({ provider: 'offline', model: 'offline', fallbacks: ['anthropic', 'openai'], cost_usd: 0 });
    expect(r.text).toContain('Notas de crédito');
    expect(h.logs.events(r.operation_id)).toContain('openai_failed_fallback_to_offline');
    expect(h.logs.events(r.operation_id)).toContain('no_fallback_available');
  });

  it('answers offline when OpenAI, the last paid provider, refuses its key', async () => {
    fake.anthropic.fault({ status: 500 });
    fake.openai.fault({ status: 401 });
    const r = await h.llm.complete(chatRequest());
    expect(r.provider).toBe('offline');
    expect(h.logs.lines.find((l) => l.operation_id === r.operation_id && l.event === 'openai_api_error')).toMatchObject(
      { status: 401, reason: 'unauthorized', error_type: 'invalid_api_key' },
    );
  });

  it('counts every attempt in llm_requests_total by outcome', async () => {
    const errBefore = await metricValue('llm_requests_total', {
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      outcome: 'error',
    });
    const okBefore = await metricValue('llm_requests_total', {
      provider: 'openai',
      model: 'gpt-4.1-mini',
      outcome: 'success',
    });
    fake.anthropic.fault({ status: 500, times: 1 });
    await h.llm.complete(chatRequest());
    expect(
      await metricValue('llm_requests_total', { provider: 'anthropic', model: 'claude-sonnet-4-6', outcome: 'error' }),
    ).toBe(errBefore + 1);
    expect(
      await metricValue('llm_requests_total', { provider: 'openai', model: 'gpt-4.1-mini', outcome: 'success' }),
    ).toBe(okBefore + 1);
  });
});

describe('LLM retries on the same provider', () => {
  const fake = useFakeProviders({ LLM_MAX_RETRIES: '1', LLM_TIMEOUT_MS: '4000' });
  const { h } = fake;

  it("retries a 529 after the response's own retry-after, then answers from Anthropic", async () => {
    fake.anthropic.fault({ status: 529, retryAfter: 1, times: 1 });
    const started = Date.now();
    const r = await h.llm.complete(chatRequest());
    expect(r.provider).toBe('anthropic');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.anthropic.requests).toHaveLength(2);
    expect(fake.openai.requests).toHaveLength(0);
  });

  it('does not wait for a retry-after longer than the budget: falls back at once', async () => {
    fake.anthropic.fault({ status: 429, retryAfter: 60 });
    const started = Date.now();
    const r = await h.llm.complete(chatRequest());
    expect(r.provider).toBe('openai');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fake.anthropic.requests).toHaveLength(1);
  });

  it('retries without retry-after using a short backoff', async () => {
    fake.anthropic.fault({ status: 500, times: 1 });
    const r = await h.llm.complete(chatRequest());
    expect(r.provider).toBe('anthropic');
    expect(fake.anthropic.requests).toHaveLength(2);
  });

  it('never retries a 400', async () => {
    fake.anthropic.fault({ status: 400 });
    const r = await h.llm.complete(chatRequest());
    expect(r.provider).toBe('offline');
    expect(fake.anthropic.requests).toHaveLength(1);
  });
});
