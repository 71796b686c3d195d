import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState } from './routing/breaker-state';
import type { LlmUsage, ProviderName } from './llm.types';

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

/** The series, defined once for Nest's registry and for `LlmMetrics.detached()`. */
const SERIES = {
  requests: {
    name: 'llm_requests_total',
    help: 'LLM provider attempts by outcome (success, error, rejected, aborted, skipped)',
    labelNames: ['provider', 'model', 'outcome'],
  },
  duration: {
    name: 'llm_request_duration_seconds',
    help: 'Duration of one LLM provider attempt',
    labelNames: ['provider'],
    buckets: LATENCY_BUCKETS,
  },
  tokens: {
    name: 'llm_tokens_total',
    help: 'Tokens by provider and type (input, output, cache_read, cache_write_5m, cache_write_1h)',
    labelNames: ['provider', 'type'],
  },
  fallbacks: {
    name: 'llm_fallbacks_total',
    help: 'Provider failures handed on (to="none" with output_started="true": a stream that failed after its first delta)',
    labelNames: ['from', 'to', 'reason', 'output_started'],
  },
  breaker: {
    name: 'llm_breaker_state',
    help: 'Circuit breaker per provider: 0 closed, 1 half-open, 2 open',
    labelNames: ['provider'],
  },
  firstToken: {
    name: 'llm_time_to_first_token_seconds',
    help: 'Time from the start of a streaming attempt to its first content delta',
    labelNames: ['provider'],
    buckets: LATENCY_BUCKETS,
  },
};

export const LLM_METRIC_PROVIDERS = [
  makeCounterProvider(SERIES.requests),
  makeHistogramProvider(SERIES.duration),
  makeCounterProvider(SERIES.tokens),
  makeCounterProvider(SERIES.fallbacks),
  makeGaugeProvider(SERIES.breaker),
  makeHistogramProvider(SERIES.firstToken),
];

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/** The LLM module's Prometheus metrics behind intention-named methods. */
@Injectable()
export class LlmMetrics {
  constructor(
    @InjectMetric(SERIES.requests.name) private readonly requests: Counter<string>,
    @InjectMetric(SERIES.duration.name) private readonly duration: Histogram<string>,
    @InjectMetric(SERIES.tokens.name) private readonly tokenCounter: Counter<string>,
    @InjectMetric(SERIES.fallbacks.name) private readonly fallbacks: Counter<string>,
    @InjectMetric(SERIES.breaker.name) private readonly breakerGauge: Gauge<string>,
    @InjectMetric(SERIES.firstToken.name) private readonly ttft: Histogram<string>,
  ) {}

  /**
   * The same series registered nowhere, for code that runs without Nest (unit specs). `breaker`
   * may be given to watch the gauge.
   */
  static detached(parts: { breaker?: Gauge<string> } = {}): LlmMetrics {
    const registers: Registry[] = [];
    return new LlmMetrics(
      new Counter({ ...SERIES.requests, registers }),
      new Histogram({ ...SERIES.duration, registers }),
      new Counter({ ...SERIES.tokens, registers }),
      new Counter({ ...SERIES.fallbacks, registers }),
      parts.breaker ?? new Gauge({ ...SERIES.breaker, registers }),
      new Histogram({ ...SERIES.firstToken, registers }),
    );
  }

  attempt(provider: ProviderName, model: string, outcome: string, seconds?: number) {
    this.requests.inc({ provider, model, outcome });
    if (seconds !== undefined) this.duration.observe({ provider }, seconds);
  }

  tokens(provider: ProviderName, u: LlmUsage) {
    const add = (type: string, n: number) => n > 0 && this.tokenCounter.inc({ provider, type }, n);
    add('input', u.input_tokens);
    add('output', u.output_tokens);
    add('cache_read', u.cache_read_tokens);
    add('cache_write_5m', u.cache_write_tokens);
    add('cache_write_1h', u.cache_write_1h_tokens);
  }

  fallback(from: ProviderName, to: ProviderName | 'none', reason: string, outputStarted: boolean) {
    this.fallbacks.inc({ from, to, reason, output_started: String(outputStarted) });
  }

  breaker(provider: ProviderName, state: BreakerState) {
    this.breakerGauge.set({ provider }, BREAKER_VALUE[state]);
  }

  firstToken(provider: ProviderName, seconds: number) {
    this.ttft.observe({ provider }, seconds);
  }
}
