import { Test } from '@nestjs/testing';
import { getToken } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { Clock, CLOCK } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { LlmService } from '../llm/llm.service';
import { emptyUsage, LlmRequest, LlmResult, ProviderName } from '../llm/llm.types';
import { RateBudget } from '../rate-limit/rate-budget.service';
import { RESPONSE_CACHE, ResponseCache } from '../store/response-cache.port';
import { FACTURA_33_EXAMPLE } from './dto/validation.examples';
import type { DteEnvelope } from './dte-envelope.pipe';
import { CACHE_HITS_TOTAL, CACHE_MISSES_TOTAL, LLM_REVIEWS_TOTAL, VALIDATIONS_TOTAL } from './validation.metrics';
import { ValidationService, ValidationVerdict } from './validation.service';

/** Unit level: the LLM and the cache are fakes here; the e2e suite runs the real ones. */
class FakeLlm implements Pick<LlmService, 'complete'> {
  calls: LlmRequest[] = [];
  answer: (() => Promise<Partial<LlmResult>>) | null = null;
  async complete(req: LlmRequest): Promise<LlmResult> {
    this.calls.push(req);
    const part = this.answer ? await this.answer() : { text: '{"warnings":[],"confidence":95,"notes":""}' };
    return {
      text: '',
      provider: 'anthropic' as ProviderName,
      model: 'm',
      usage: emptyUsage(),
      cost_usd: 0.002,
      latency_ms: 1,
      operation_id: 'op',
      fallbacks: [],
      ...part,
    };
  }
}

class MapCache implements ResponseCache {
  map = new Map<string, unknown>();
  async get<T>(key: string) {
    return this.map.get(key) as T | undefined;
  }
  async set<T>(key: string, value: T) {
    this.map.set(key, JSON.parse(JSON.stringify(value)));
  }
  async del(key: string) {
    this.map.delete(key);
  }
}

/** The rate budget: admits the first `limit` uses (the real one counts in the store). */
class CountingBudget implements Pick<RateBudget, 'take'> {
  uses = 0;
  constructor(private readonly limit = Infinity) {}
  async take() {
    return ++this.uses <= this.limit;
  }
}

/** A clock the test sets by hand; `break()` makes it answer an invalid date. */
class ManualClock implements Clock {
  constructor(private at: Date) {}
  now() {
    return new Date(this.at);
  }
  set(iso: string) {
    this.at = new Date(iso);
  }
  break() {
    this.at = new Date(Number.NaN);
  }
}

type ValidationSettings = Pick<
  AppConfig,
  'validationCacheTtlSeconds' | 'validationLlmTimeoutMs' | 'validationDeadlineMs' | 'validationRateLimitPerMinute'
>;

const counter = (name: string) =>
  new Counter({ name, help: name, labelNames: ['recommendation', 'outcome'], registers: [] });

/** ValidationService wired by Nest as ValidationModule wires it, with fakes behind its tokens. */
async function setup(opts: { now?: string; cache?: ResponseCache; ttl?: number; budget?: number } = {}) {
  const llm = new FakeLlm();
  const cache = opts.cache ?? new MapCache();
  const clock = new ManualClock(new Date(opts.now ?? '2026-03-20T15:00:00Z'));
  const hits = counter('hits');
  const settings: ValidationSettings = {
    validationCacheTtlSeconds: opts.ttl ?? 3600,
    validationLlmTimeoutMs: 6000,
    validationDeadlineMs: 7000,
    validationRateLimitPerMinute: 1,
  };
  const module = await Test.createTestingModule({
    providers: [
      ValidationService,
      { provide: LlmService, useValue: llm },
      { provide: AppConfig, useValue: settings },
      { provide: RESPONSE_CACHE, useValue: cache },
      { provide: CLOCK, useValue: clock },
      { provide: RateBudget, useValue: new CountingBudget(opts.budget) },
      { provide: getToken(VALIDATIONS_TOTAL), useValue: counter('validations') },
      { provide: getToken(CACHE_HITS_TOTAL), useValue: hits },
      { provide: getToken(CACHE_MISSES_TOTAL), useValue: counter('misses') },
      { provide: getToken(LLM_REVIEWS_TOTAL), useValue: counter('reviews') },
    ],
  }).compile();
  return { service: module.get(ValidationService), llm, cache, hits, clock };
}

const envelope = (dte: Record<string, unknown> = {}): DteEnvelope => ({
  dte_data: { ...FACTURA_33_EXAMPLE.dte_data, ...dte },
  company_id: 1,
  history: [],
  bare: false,
});
const BAD = { rut_receptor: '96790240-4' };

describe('ValidationService', () => {
  it('sends a clean DTE when the model agrees, asking it for JSON under dte_validation', async () => {
    const { service, llm } = await setup();
    const v = await service.validate(envelope());
    expect(v).toMatchObject({
      recommendation: 'send',
      confidence: 95,
      errors: [],
      warnings: [],
      llm_used: 'anthropic',
      llm_review: 'ok',
      cached: false,
      cost_usd: 0.002,
    });
    expect(llm.calls[0]).toMatchObject({ operation: 'dte_validation', json: true });
    expect(llm.calls[0].messages[0].content).toContain('razon_social_emisor');
  });

  it("adds the model's warnings and sends the document to review", async () => {
    const { service, llm } = await setup();
    llm.answer = async () => ({
      text: '{"warnings":["El receptor acumula rechazos por giro"],"confidence":80,"notes":"revisar giro"}',
    });
    const v = await service.validate(envelope());
    expect(v.recommendation).toBe('review');
    expect(v.warnings).toEqual(['Revisión IA: El receptor acumula rechazos por giro']);
    expect(v.confidence).toBe(80);
    expect(v.notes).toBe('revisar giro');
  });

  it('lets a low model confidence alone move a clean DTE to review', async () => {
    const { service, llm } = await setup();
    llm.answer = async () => ({ text: '{"warnings":[],"confidence":40}' });
    expect(await service.validate(envelope())).toMatchObject({ recommendation: 'review', confidence: 40 });
  });

  it('keeps a reject even when the model is fully confident', async () => {
    const { service, llm } = await setup();
    llm.answer = async () => ({ text: '{"warnings":[],"confidence":100,"notes":"todo bien"}' });
    const v = await service.validate(envelope(BAD));
    expect(v.recommendation).toBe('reject');
    expect(v.confidence).toBeLessThanOrEqual(20);
    expect(v.errors.join(' ')).toContain('rut_receptor');
  });

  it.each([
    [
      'an error (e.g. the cost limit)',
      async () => {
        throw Object.assign(new Error('limit'), { code: 'COST_LIMIT_EXCEEDED' });
      },
      'failed',
      'offline',
    ],
    ['a malformed answer', async () => ({ text: 'Claro: el documento está bien.' }), 'invalid_answer', 'anthropic'],
    [
      'the offline provider',
      async () => ({ text: 'Respuesta automática', provider: 'offline' as ProviderName }),
      'offline',
      'offline',
    ],
    [
      'offline after every paid provider failed',
      async () => ({
        text: 'x',
        provider: 'offline' as ProviderName,
        fallbacks: ['anthropic', 'openai'] as ProviderName[],
      }),
      'failed',
      'offline',
    ],
  ])("falls back to the rules' verdict on %s", async (_what, answer, outcome, llmUsed) => {
    const { service, llm } = await setup();
    llm.answer = answer;
    const good = await service.validate(envelope());
    expect(good).toMatchObject({ recommendation: 'send', confidence: 100, llm_review: outcome, llm_used: llmUsed });
    const bad = await service.validate(envelope(BAD));
    expect(bad).toMatchObject({ recommendation: 'reject', llm_review: outcome });
  });

  it('serves an identical request from the cache without calling the model again', async () => {
    const { service, llm, cache, hits } = await setup();
    const first = await service.validate(envelope());
    const second = await service.validate(envelope());
    expect(llm.calls).toHaveLength(1);
    expect(second).toEqual({ ...first, cached: true, cost_usd: 0 });
    expect([...(cache as MapCache).map.keys()]).toEqual([expect.stringMatching(/^cache:validation:[0-9a-f]{64}$/)]);
    expect((await hits.get()).values[0].value).toBe(1);
  });

  it('does not cache a verdict whose model review failed', async () => {
    const { service, llm } = await setup();
    llm.answer = async () => {
      throw new Error('down');
    };
    await service.validate(envelope());
    llm.answer = null;
    const v = await service.validate(envelope());
    expect(v).toMatchObject({ cached: false, llm_review: 'ok' });
    expect(llm.calls).toHaveLength(2);
  });

  it('recomputes the next day, when the date rules may answer differently', async () => {
    const { service, llm, clock } = await setup({ now: '2026-03-20T15:00:00Z' });
    const tomorrow = envelope({ fecha_emision: '2026-03-21' });
    expect((await service.validate(tomorrow)).recommendation).toBe('reject');
    clock.set('2026-03-21T15:00:00Z');
    expect(await service.validate(tomorrow)).toMatchObject({ recommendation: 'send', cached: false });
    expect(llm.calls).toHaveLength(2);
  });

  it('answers with the rules when the cache hangs or throws', async () => {
    const hanging: ResponseCache = {
      get: () => new Promise(() => undefined),
      set: () => new Promise(() => undefined),
      del: async () => undefined,
    };
    const { service } = await setup({ cache: hanging });
    jest.useFakeTimers();
    try {
      let verdict: ValidationVerdict | undefined;
      void service.validate(envelope(BAD)).then((v) => (verdict = v));
      // Each cache call has 500 ms before it counts as a miss: well within 2.5 s of (fake) time.
      await jest.advanceTimersByTimeAsync(2499);
      expect(verdict).toMatchObject({ recommendation: 'reject', cached: false });
    } finally {
      jest.useRealTimers();
    }
    const throwing: ResponseCache = {
      get: async () => {
        throw new Error('x');
      },
      set: async () => {
        throw new Error('x');
      },
      del: async () => undefined,
    };
    const { service: withThrowingCache } = await setup({ cache: throwing });
    expect(await withThrowingCache.validate(envelope())).toMatchObject({ recommendation: 'send' });
  });

  it('skips the cache entirely when VALIDATION_CACHE_TTL is 0', async () => {
    const { service, llm, cache } = await setup({ ttl: 0 });
    await service.validate(envelope());
    await service.validate(envelope());
    expect(llm.calls).toHaveLength(2);
    expect((cache as MapCache).map.size).toBe(0);
  });

  it('answers the rules verdict without asking the model once the caller is over its budget', async () => {
    const { service, llm } = await setup({ budget: 1 });
    expect(await service.validate(envelope(), { caller: 'key:a' })).toMatchObject({ llm_review: 'ok' });
    const over = await service.validate(envelope({ folio: 99 }), { caller: 'key:a' });
    expect(over).toMatchObject({ llm_review: 'rate_limited', llm_used: 'offline', recommendation: 'send' });
    expect(llm.calls).toHaveLength(1);
  });

  it('answers review, not a crash, when even the rules cannot run (an invalid clock)', async () => {
    const { service, clock } = await setup();
    clock.break();
    const v = await service.validate(envelope(BAD));
    expect(v).toMatchObject({ recommendation: 'review', llm_review: 'failed', errors: [] });
    expect(v.warnings[0]).toMatch(/revíselo manualmente/);
  });

  it('reads a cached entry that is not a verdict as a miss', async () => {
    const cache = new MapCache();
    const { service, llm } = await setup({ cache });
    const first = await service.validate(envelope(BAD));
    const [key] = [...cache.map.keys()];
    cache.map.set(key, { recommendation: 'send', confidence: 100 });
    expect(await service.validate(envelope(BAD))).toMatchObject({ ...first, cached: false });
    expect(llm.calls).toHaveLength(2);
  });
});
