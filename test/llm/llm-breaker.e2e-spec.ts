import { sleep, waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { chatRequest, LlmHarness, metricValue, startLlm, useFakeProviders } from './llm-harness';

const BREAKER = { LLM_BREAKER_THRESHOLD: '2', LLM_BREAKER_HALF_OPEN_MS: '400' };

describe('LLM circuit breaker', () => {
  const fake = useFakeProviders();
  let h: LlmHarness;
  beforeEach(async () => (h = await startLlm({ ...fake.env(), ...BREAKER })));
  afterEach(() => h.close());

  async function trip(harness = h) {
    fake.anthropic.fault({ status: 500 });
    await harness.llm.complete(chatRequest());
    await harness.llm.complete(chatRequest());
  }

  it('opens after the threshold, skips Anthropic while open, shows circuit_open, and a half-open probe closes it', async () => {
    expect(h.llm.providerStates()).toEqual({ anthropic: 'configured', openai: 'configured' });
    await trip();
    expect(fake.anthropic.requests).toHaveLength(2);
    expect(h.logs.events()).toContain('llm_breaker_opened');
    expect(h.llm.providerStates().anthropic).toBe('circuit_open');
    expect(await metricValue('llm_breaker_state', { provider: 'anthropic' })).toBe(2);

    const skipped = await h.llm.complete(chatRequest());
    expect(skipped).toMatchObject({ provider: 'openai', fallbacks: ['anthropic'] });
    expect(fake.anthropic.requests).toHaveLength(2); // not called while open
    expect(
      h.logs.lines.find(
        (l) => l.operation_id === skipped.operation_id && l.event === 'anthropic_failed_fallback_to_openai',
      ),
    ).toMatchObject({ reason: 'circuit_open' });

    fake.anthropic.fault(null);
    await sleep(450);
    const probed = await h.llm.complete(chatRequest());
    expect(probed.provider).toBe('anthropic');
    expect(fake.anthropic.requests).toHaveLength(3);
    expect(h.llm.providerStates().anthropic).toBe('configured');
    expect(await metricValue('llm_breaker_state', { provider: 'anthropic' })).toBe(0);
    expect(h.logs.events()).toContain('llm_breaker_closed');
  });

  it('a failed probe reopens the circuit at once', async () => {
    await trip();
    await sleep(450);
    await h.llm.complete(chatRequest()); // the probe, still failing
    expect(fake.anthropic.requests).toHaveLength(3);
    await h.llm.complete(chatRequest());
    expect(fake.anthropic.requests).toHaveLength(3); // open again: skipped without waiting
    expect(h.llm.providerStates().anthropic).toBe('circuit_open');
  });

  it('lets exactly one probe through while half-open; the others go to OpenAI', async () => {
    await trip();
    fake.anthropic.fault(null);
    fake.anthropic.latency({ firstByteMs: 300 });
    await sleep(450);
    const results = await Promise.all([1, 2, 3].map(() => h.llm.complete(chatRequest())));
    expect(fake.anthropic.requests).toHaveLength(3);
    expect(results.map((r) => r.provider).sort()).toEqual(['anthropic', 'openai', 'openai']);
  });

  it('a failure that opens the circuit is not retried into it, and keeps its own reason', async () => {
    const h1 = await startLlm({
      ...fake.env(),
      LLM_BREAKER_THRESHOLD: '1',
      LLM_MAX_RETRIES: '2',
      LLM_TIMEOUT_MS: '5000',
    });
    try {
      fake.anthropic.fault({ status: 500 });
      const r = await h1.llm.complete(chatRequest());
      expect(r.provider).toBe('openai');
      expect(fake.anthropic.requests).toHaveLength(1);
      expect(
        h1.logs.lines.find(
          (l) => l.operation_id === r.operation_id && l.event === 'anthropic_failed_fallback_to_openai',
        ),
      ).toMatchObject({ reason: 'server_error' });
    } finally {
      await h1.close();
    }
  });

  it('a rejected request (400) does not count toward opening the circuit', async () => {
    fake.anthropic.fault({ status: 400 });
    for (let i = 0; i < 3; i++) await h.llm.complete(chatRequest());
    expect(fake.anthropic.requests).toHaveLength(3);
    expect(h.llm.providerStates().anthropic).toBe('configured');
  });
});

describe('LLM circuit breaker shared through Redis by two replicas', () => {
  const fake = useFakeProviders();
  let redis: TestRedis;
  let a: LlmHarness;
  let b: LlmHarness;

  beforeAll(async () => {
    redis = await TestRedis.start();
    const env = {
      ...fake.env(),
      ...BREAKER,
      LLM_BREAKER_HALF_OPEN_MS: '1000',
      REDIS_URL: redis.url(),
    };
    a = await startLlm(env);
    b = await startLlm(env);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await redis.stop();
  });

  it('a circuit opened by one replica is skipped and reported by the other; its probe closes it for both', async () => {
    fake.anthropic.fault({ status: 529 });
    await a.llm.complete(chatRequest());
    await a.llm.complete(chatRequest());
    expect(fake.anthropic.requests).toHaveLength(2);
    expect(redis.cli('-n', '1', 'EXISTS', 'llm:breaker:anthropic')).toBe('1');

    await waitFor(() => b.llm.providerStates().anthropic === 'circuit_open', 2000);
    const fromB = await b.llm.complete(chatRequest());
    expect(fromB).toMatchObject({ provider: 'openai', fallbacks: ['anthropic'] });
    expect(fake.anthropic.requests).toHaveLength(2); // B never rediscovered the dead provider

    fake.anthropic.fault(null);
    await sleep(1050);
    expect((await b.llm.complete(chatRequest())).provider).toBe('anthropic');
    expect(redis.cli('-n', '1', 'EXISTS', 'llm:breaker:anthropic')).toBe('0');
    await waitFor(() => a.llm.providerStates().anthropic === 'configured', 2000);
  });
});
