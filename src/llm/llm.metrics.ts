import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { BreakerState } from './routing/breaker-state';
import type { LlmUsage, ProviderName } from './llm.types';

const REQUESTS = 'llm_requests_total';
const DURATION = 'llm_request_duration_seconds';
const TOKENS = 'llm_tokens_total';
const FALLBACKS = 'llm_fallbacks_total';
const BREAKER = 'llm_breaker_state';
const TTFT = 'llm_time_to_first_token_seconds';

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

export const LLM_METRIC_PROVIDERS = [
  makeCounterProvider({
    name: REQUESTS,
    help: 'LLM provider attempts by outcome (success, error, rejected, aborted, skipped)',
    labelNames: ['provider', 'model', 'outcome'],
  }),
  makeHistogramProvider({
    name: DURATION,
    help: 'Duration of one LLM provider attempt',
    labelNames: ['provider'],
    buckets: LATENCY_BUCKETS,
  }),
  makeCounterProvider({
    name: TOKENS,
    help: 'Tokens by provider and type (input, output, cache_read, cache_write_5m, cache_write_1h)',
    labelNames: ['provider', 'type'],
  }),
  makeCounterProvider({
    name: FALLBACKS,
    help: 'Provider failures handed on (to="none" with output_started="true": a stream that failed after its first delta)',
    labelNames: ['from', 'to', 'reason', 'output_started'],
  }),
  makeGaugeProvider({
    name: BREAKER,
    help: 'Circuit breaker per provider: 0 closed, 1 half-open, 2 open',
    labelNames: ['provider'],
  }),
  makeHistogramProvider({
    name: TTFT,
    help: 'Time from the start of a streaming attempt to its first content delta',
    labelNames: ['provider'],
    buckets: LATENCY_BUCKETS,
  }),
];

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/** The LLM module's Prometheus metrics behind intention-named methods. */
@Injectable()
export class LlmMetrics {
  constructor(
    @InjectMetric(REQUESTS) private readonly requests: Counter<string>,
    @InjectMetric(DURATION) private readonly duration: Histogram<string>,
    @InjectMetric(TOKENS) private readonly tokenCounter: Counter<string>,
    @InjectMetric(FALLBACKS) private readonly fallbacks: Counter<string>,
    @InjectMetric(BREAKER) private readonly breakerGauge: Gauge<string>,
    @InjectMetric(TTFT) private readonly ttft: Histogram<string>,
  ) {}

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
