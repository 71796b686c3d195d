import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { DomainError, ErrorCode, ShuttingDownError } from '../common/domain-error';
import { logEvent } from '../common/log-event';
import { CostRecorder } from '../cost/cost.port';
import { ProviderError } from './llm-errors';
import type { LlmProvider, ProviderReply } from './llm-provider.interface';
import { LlmMetrics } from './llm.metrics';
import { LLM_PROVIDERS } from './llm.tokens';
import {
  emptyUsage,
  LlmInterruptedError,
  LlmRequest,
  LlmResult,
  LlmStreamEvent,
  ProviderName,
  ProviderState,
} from './llm.types';
import { ProviderAttempts } from './routing/provider-attempts';
import type { Committed, Delta, RequestRun } from './routing/routing.types';
import { ProviderBreakers } from './routing/provider-breakers';
import { RequestLedger } from './routing/request-ledger';

interface Routing extends RequestRun {
  /** Set once a provider refused the request itself: no other paid provider is tried. */
  paidClosed: boolean;
}

/**
 * The one entry point to the LLMs. Tries the provider chain in order (Anthropic → OpenAI →
 * offline): timeouts, connection errors, 429, 5xx and 529/overloaded move on to the next provider;
 * a request the provider refuses (400/401/403/404…) is not sent to another paid provider but
 * answered offline, and logged as an error. Streams commit at their first content delta; after
 * that a failure is an LlmInterruptedError, never a silent truncation or a switch of provider.
 */
@Injectable()
export class LlmService {
  private readonly logger = new Logger('LlmService');

  constructor(
    @Inject(LLM_PROVIDERS) private readonly providers: LlmProvider[],
    private readonly attempts: ProviderAttempts,
    private readonly breakers: ProviderBreakers,
    private readonly cost: CostRecorder,
    private readonly metrics: LlmMetrics,
    private readonly config: AppConfig,
  ) {}

  async complete(request: LlmRequest): Promise<LlmResult> {
    const route = this.route(request, false);
    for (;;) {
      const step = await route.next(); // without streaming the route yields no delta
      if (step.done) return step.value;
    }
  }

  async *stream(request: LlmRequest): AsyncGenerator<LlmStreamEvent> {
    const result = yield* this.route(request, true);
    yield { type: 'done', result };
  }

  /**
   * The routing loop of both modes. Providers are tried in order until one commits (see
   * ProviderAttempts.commit); a failure before that hands on to the next (handOn). The committed
   * answer is relayed (a stream's deltas are yielded) and becomes the result.
   */
  private async *route(request: LlmRequest, streaming: boolean): AsyncGenerator<Delta, LlmResult> {
    const run = this.begin(request);
    for (const [i, provider] of this.providers.entries()) {
      if (!provider.paid) return this.answer(provider, run, yield* freeReply(provider, request, streaming));
      if (run.paidClosed) continue;
      let committed: Committed;
      try {
        committed = await this.attempts.commit(provider, run, streaming);
      } catch (e) {
        this.handOn(run, i, e);
        continue;
      }
      return this.answer(provider, run, yield* this.attempts.relay(committed, run));
    }
    throw this.noProvider();
  }

  /** For /health: `circuit_open` while a provider's breaker is open or half-open. */
  providerStates(): Record<Exclude<ProviderName, 'offline'>, ProviderState> {
    const state = (name: 'anthropic' | 'openai'): ProviderState => {
      if (!this.providers.some((p) => p.name === name)) return 'not_configured';
      return this.breakers.state(name) === 'closed' ? 'configured' : 'circuit_open';
    };
    return { anthropic: state('anthropic'), openai: state('openai') };
  }

  private begin(request: LlmRequest): Routing {
    const operationId = request.operationId ?? randomUUID();
    return {
      request,
      operationId,
      ledger: new RequestLedger(
        operationId,
        request,
        this.cost,
        this.metrics,
        this.config.llm.maxEstimatedCostPerRequest,
      ),
      startedAt: Date.now(),
      fallbacks: [],
      paidClosed: false,
    };
  }

  private answer(provider: LlmProvider, run: Routing, reply: ProviderReply): LlmResult {
    if (!provider.paid) {
      this.metrics.attempt(provider.name, provider.model, 'success', (Date.now() - run.startedAt) / 1000);
      logEvent(
        this.logger,
        'llm_offline_answer',
        {
          operation: run.request.operation,
          operation_id: run.operationId,
          after_failures: run.fallbacks,
          passages: run.request.passages?.length ?? 0,
          reason: run.fallbacks.length ? 'providers_failed' : 'no_provider_configured',
        },
        run.fallbacks.length ? 'warn' : 'log',
      );
    }
    return {
      text: reply.text,
      provider: provider.name,
      model: reply.model,
      usage: reply.usage,
      cost_usd: run.ledger.costUsd,
      latency_ms: Date.now() - run.startedAt,
      operation_id: run.operationId,
      fallbacks: [...run.fallbacks],
    };
  }

  /** A provider failed before answering: decide who is next, say so, or rethrow. */
  private handOn(run: Routing, index: number, e: unknown) {
    const from = this.providers[index];
    if (e instanceof DomainError && e.code === ErrorCode.COST_LIMIT_EXCEEDED && run.fallbacks.length) {
      // The limit leaves no room for a fallback after a failed (possibly billed) attempt.
      e = new ProviderError(from.name, 'rejected', 'cost limit leaves no room for this fallback');
    }
    if (!(e instanceof ProviderError)) throw e;
    // The instance is stopping: no other provider is tried here; the caller may send it again.
    if (e.reason === 'shutdown') throw new ShuttingDownError(e);
    if (e.reason === 'aborted') {
      throw new LlmInterruptedError(
        'client_aborted',
        from.name,
        { operation_id: run.operationId, cost_usd: run.ledger.costUsd, text_length: 0 },
        e,
      );
    }
    run.fallbacks.push(from.name);
    if (!e.policy.fallback) run.paidClosed = true;
    const next = this.providers.slice(index + 1).find((p) => !p.paid || !run.paidClosed)!;
    this.metrics.fallback(from.name, next.name, e.reason, false);
    const fields = {
      operation: run.request.operation,
      operation_id: run.operationId,
      reason: e.reason,
      status: e.extra.status,
    };
    logEvent(this.logger, `${from.name}_failed_fallback_to_${next.name}`, fields, 'warn');
    if (!next.paid)
      logEvent(this.logger, 'no_fallback_available', { ...fields, from: from.name, answering: 'offline' }, 'error');
  }

  private noProvider() {
    return new DomainError(
      ErrorCode.PROVIDER_FAILED,
      'Ningún proveedor de IA pudo responder; intente nuevamente en unos minutos.',
    );
  }
}

/** The free provider (offline) has no breaker, retries or cost: its answer is relayed as it comes. */
async function* freeReply(
  provider: LlmProvider,
  request: LlmRequest,
  streaming: boolean,
): AsyncGenerator<Delta, ProviderReply> {
  const options = { signal: new AbortController().signal, timeoutMs: 0 };
  if (!streaming) return await provider.complete(request, options);
  let text = '';
  for await (const ev of provider.stream(request, options)) {
    if (ev.type !== 'delta') continue;
    text += ev.text;
    yield ev;
  }
  return { text, model: provider.model, usage: emptyUsage() };
}
