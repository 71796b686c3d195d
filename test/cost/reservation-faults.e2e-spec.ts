import { existsSync } from 'node:fs';
import { FakeAnthropic } from '../fakes/fake-anthropic';
import { FakeOpenAI } from '../fakes/fake-openai';
import { send, SIGTERM_KEY } from '../faults/sigterm-helpers';
import { TestRedis } from '../helpers/redis-server';
import { realisticReply } from '../helpers/fault-stack';
import { sleep, waitFor } from '../helpers/ports';
import { DIST_MAIN, ServiceProcess } from '../helpers/service-process';
import { odooCall } from '../validation/validation-helpers';

/**
 * Prices chosen so the arithmetic is exact: no input price, US$ 1,000 per million output tokens,
 * and a review's 600 output tokens → every attempt's worst case is US$ 0.60. Under the default
 * limit of US$ 1.00 per request one attempt fits, two do not.
 */
const PRICING = JSON.stringify({
  'claude-sonnet-4-6': { input: 0, output: 1000 },
  'gpt-4.1-mini': { input: 0, output: 1000 },
});

/**
 * The per-request cost limit under faults (DTE validation: answers 200 with or without Redis).
 * Found by reading: a reservation in Redis was forgotten when Redis failed mid-request (the next
 * attempt was checked against an empty local count, so together they could pass the limit), its
 * key outlived the request when the release failed, and a retry on the same provider was never
 * reserved. Attempts whose cost is unknown (timeout, dropped connection) keep their worst case;
 * an error answer costs nothing.
 */
describe('cost reservations under faults (compiled service, durable Redis)', () => {
  let redis: TestRedis;
  let anthropic: FakeAnthropic;
  let openai: FakeOpenAI;
  let svc: ServiceProcess;

  const reservationKeys = () =>
    redis.cli('-n', '1', '--scan', '--pattern', 'cost_tracker:reservation:*').split('\n').filter(Boolean);
  const validate = async () => {
    const r = await send(svc.port, 'POST', '/api/ai/validate', odooCall());
    expect(r.status).toBe(200);
    return JSON.parse(r.body) as { llm_used: string; llm_review: string };
  };

  beforeAll(async () => {
    [redis, anthropic, openai] = await Promise.all([
      TestRedis.start({ durable: true }),
      FakeAnthropic.start(),
      FakeOpenAI.start(),
    ]);
    realisticReply(anthropic, 'Anthropic');
    realisticReply(openai, 'OpenAI');
    await waitFor(() => existsSync(DIST_MAIN), 45_000, 500);
    svc = await ServiceProcess.spawn({
      AI_SERVICE_API_KEY: SIGTERM_KEY,
      REDIS_URL: redis.url(),
      ANTHROPIC_API_KEY: 'sk-ant-reservations',
      ANTHROPIC_BASE_URL: anthropic.url,
      OPENAI_API_KEY: 'sk-reservations',
      OPENAI_BASE_URL: openai.url,
      LLM_PRICING_JSON: PRICING,
      MAX_ESTIMATED_COST_PER_REQUEST: '1.0',
      LLM_TIMEOUT_MS: '1000',
      LLM_MAX_RETRIES: '1',
      LLM_BREAKER_THRESHOLD: '100',
      VALIDATION_LLM_TIMEOUT_MS: '8000',
      VALIDATION_CACHE_TTL: '0',
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    await svc.ready();
  });
  afterAll(async () => {
    await svc?.stop('SIGKILL');
    await Promise.all([anthropic?.close(), openai?.close()]);
    await redis?.destroy();
  });
  beforeEach(() => {
    anthropic.reset();
    openai.reset();
  });

  it('one attempt fits the limit (control)', async () => {
    expect(await validate()).toMatchObject({ llm_used: 'anthropic', llm_review: 'ok' });
    expect(reservationKeys()).toEqual([]);
  });

  it('Redis stopped between reserve and settle: the limit still holds and nothing stays reserved', async () => {
    anthropic.fault({ delayMs: 5000, times: 1 }); // times out: what it cost is unknown, its US$ 0.60 stays
    const verdict = send(svc.port, 'POST', '/api/ai/validate', odooCall());
    await waitFor(() => anthropic.requests.length >= 1, 5000, 10);
    await sleep(200);
    await redis.stop();
    const answer = await verdict;
    const openaiCalls = openai.requests.length;
    await redis.restart();
    await sleep(300);
    const left = reservationKeys();
    console.log(JSON.stringify({ status: answer.status, openaiCalls, reservationKeysLeft: left }));

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).llm_used).not.toBe('openai');
    // 0.60 (the timed-out attempt) + 0.60 (OpenAI) > 1.00: the fallback is not made.
    expect(openaiCalls).toBe(0);
    expect(left).toEqual([]);
  });

  it('a retry on the same provider is reserved like any attempt', async () => {
    await waitFor(() => svc.logLines().some((l) => l.event === 'redis_client_initialized'), 5000);
    anthropic.fault({ drop: true, times: 1 }); // the request reached it; whether it was billed is unknown
    const verdict = await validate();
    console.log(JSON.stringify({ anthropicCalls: anthropic.requests.length, llm_used: verdict.llm_used }));
    expect(anthropic.requests).toHaveLength(1);
    expect(openai.requests).toHaveLength(0);
    expect(verdict.llm_review).toBe('failed');
  });

  it('an error answer costs nothing, so its retry fits', async () => {
    anthropic.fault({ status: 529, times: 1 });
    expect(await validate()).toMatchObject({ llm_used: 'anthropic', llm_review: 'ok' });
    expect(anthropic.requests).toHaveLength(2);
  });
});
