import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { logEvent } from '../../common/log-event';
import { LlmStreamError, LlmStreamErrorCode, ProviderError } from '../llm-errors';
import type { LlmProvider, ProviderReply, ProviderStreamEvent } from '../llm-provider.interface';
import { LlmMetrics } from '../llm.metrics';
import type { LlmRequest, LlmStreamEvent, LlmUsage, ProviderName } from '../llm.types';
import { isEmptyUsage, usageSoFar } from '../usage';
import { AttemptCut, AttemptGuard } from './attempt-guard';
import type { Permit } from './breaker-state';
import { ProviderBreakers } from './provider-breakers';
import type { RequestLedger } from './request-ledger';
import { providerRetryPolicy } from './retry-policy';

/** One request's routing state, shared by all of its attempts. */
export interface RequestRun {
  request: LlmRequest;
  operationId: string;
  ledger: RequestLedger;
  startedAt: number;
  /** Providers that failed before the one that answers. */
  fallbacks: ProviderName[];
}

/** A provider stream that has produced its first content delta (the commit point), or ended empty. */
export interface OpenedStream {
  provider: LlmProvider;
  iterator: AsyncIterator<ProviderStreamEvent>;
  guard: AttemptGuard;
  permit: Permit;
  attempt: number;
  first: string | null;
  usage?: LlmUsage;
  model: string;
}

interface AttemptCtx {
  provider: LlmProvider;
  run: RequestRun;
  permit: Permit;
  guard: AttemptGuard;
  attempt: number;
}

/**
 * Runs attempts on one provider: breaker admission, cost reservation, bounded retries, the
 * attempt's time limits, and the logs/metrics/cost record of every attempt. Throws ProviderError
 * (with a routing reason) before the commit point and LlmStreamError after it.
 */
@Injectable()
export class ProviderAttempts {
  private readonly logger = new Logger('LlmService');

  constructor(
    private readonly config: AppConfig,
    private readonly breakers: ProviderBreakers,
    private readonly metrics: LlmMetrics,
  ) {}

  async complete(provider: LlmProvider, run: RequestRun): Promise<ProviderReply> {
    return this.withRetries(provider, run, false, async (ctx) => {
      try {
        const reply = await ctx.guard.wait(provider.complete(run.request, { signal: ctx.guard.signal, timeoutMs: ctx.guard.remainingMs() }));
        await this.succeeded(ctx, reply.model, reply.usage);
        return reply;
      } catch (e) {
        throw await this.failed(ctx, e);
      } finally {
        ctx.guard.dispose();
      }
    });
  }

  /** Opens a stream and waits for its first content delta (retrying and failing like complete). */
  async open(provider: LlmProvider, run: RequestRun): Promise<OpenedStream> {
    return this.withRetries(provider, run, true, async (ctx) => {
      const { guard } = ctx;
      const iterator = provider.stream(run.request, { signal: guard.signal, timeoutMs: guard.remainingMs() })[Symbol.asyncIterator]();
      const firstTokenBy = guard.startedAt + this.config.llm.firstTokenTimeoutMs;
      let usage: LlmUsage | undefined;
      let model = provider.model;
      try {
        for (;;) {
          const r = await guard.wait(iterator.next(), Math.max(1, firstTokenBy - Date.now()), 'first_token');
          if (r.done) return { provider, iterator, guard, permit: ctx.permit, attempt: ctx.attempt, first: null, usage, model };
          if (r.value.type === 'usage') {
            usage = r.value.usage;
            model = r.value.model ?? model;
            continue;
          }
          this.metrics.firstToken(provider.name, guard.elapsedMs() / 1000);
          return { provider, iterator, guard, permit: ctx.permit, attempt: ctx.attempt, first: r.value.text, usage, model };
        }
      } catch (e) {
        iterator.return?.(undefined)?.catch(() => undefined);
        guard.dispose();
        throw await this.failed(ctx, e, usage && !isEmptyUsage(usage) ? usage : undefined, model);
      }
    });
  }

  /**
   * Relays a committed stream. Three limits apply: the gap between chunks, the provider budget,
   * and the caller's signal. A failure here ends the stream with a coded LlmStreamError after
   * pricing the tokens produced so far; a consumer that stops early aborts the provider call.
   */
  async *drain(o: OpenedStream, run: RequestRun): AsyncGenerator<LlmStreamEvent, ProviderReply> {
    const ctx: AttemptCtx = { provider: o.provider, run, permit: o.permit, guard: o.guard, attempt: o.attempt };
    let text = o.first ?? '';
    let usage = o.usage;
    let model = o.model;
    let settled = o.first === null;
    try {
      if (o.first !== null) yield { type: 'delta', text: o.first };
      while (!settled) {
        const r = await o.guard.wait(o.iterator.next(), this.config.llm.streamIdleTimeoutMs, 'idle');
        if (r.done) break;
        if (r.value.type === 'usage') {
          usage = r.value.usage;
          model = r.value.model ?? model;
          continue;
        }
        text += r.value.text;
        yield { type: 'delta', text: r.value.text };
      }
      settled = true;
      // OpenAI-compatible servers may send no usage at all: estimate rather than bill nothing.
      const final = usage && !isEmptyUsage(usage) ? usage : usageSoFar(usage, run.request, text);
      await this.succeeded(ctx, model, final);
      return { text, model, usage: final };
    } catch (e) {
      settled = true;
      throw await this.streamFailed(ctx, e, usage, text, model);
    } finally {
      if (!settled) {
        // The consumer stopped reading (client gone): cut the provider call, bill what it produced.
        o.guard.abort('client');
        await this.streamFailed(ctx, new AttemptCut('client'), usage, text, model).catch(() => undefined);
      }
      o.guard.dispose();
      o.iterator.return?.(undefined)?.catch(() => undefined);
    }
  }

  private async withRetries<T>(provider: LlmProvider, run: RequestRun, streaming: boolean, fn: (ctx: AttemptCtx) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.config.llm.timeoutMs;
    const policy = providerRetryPolicy(this.config.llm.maxRetries, () => deadline - Date.now());
    let attempt = 0;
    return policy.execute(async () => {
      attempt += 1;
      const permit = await this.breakers.acquire(provider.name);
      if (permit === 'skip') {
        this.metrics.attempt(provider.name, provider.model, 'skipped');
        throw new ProviderError(provider.name, 'circuit_open', 'circuit open: skipped until it half-opens');
      }
      try {
        await run.ledger.reserve(provider);
      } catch (e) {
        await this.breakers.release(provider.name, permit);
        throw e;
      }
      const guard = new AttemptGuard(run.request.signal, deadline);
      logEvent(this.logger, `calling_${provider.name}_api`, {
        operation: run.request.operation, operation_id: run.operationId, model: provider.model, attempt, streaming,
        message_count: run.request.messages.length, probe: permit === 'probe' || undefined,
      });
      return fn({ provider, run, permit, guard, attempt });
    }, run.request.signal);
  }

  private async succeeded(ctx: AttemptCtx, model: string, usage: LlmUsage) {
    const { provider, run, guard } = ctx;
    await this.breakers.success(provider.name, ctx.permit);
    const usd = await run.ledger.record(provider, model, usage, 'success');
    this.metrics.attempt(provider.name, provider.model, 'success', guard.elapsedMs() / 1000);
    logEvent(this.logger, `${provider.name}_api_success`, {
      operation: run.request.operation, operation_id: run.operationId, model, attempt: ctx.attempt, latency_ms: guard.elapsedMs(),
      ...usage, cost_usd: usd,
    });
  }

  /** Books a failed pre-commit attempt and returns the ProviderError that routing acts on. */
  private async failed(ctx: AttemptCtx, e: unknown, usage?: LlmUsage, model = ctx.provider.model): Promise<ProviderError> {
    const { provider, run, guard } = ctx;
    const err = this.toProviderError(provider.name, guard, e, usage);
    if (err.policy.countsForBreaker) await this.breakers.failure(provider.name, ctx.permit);
    else await this.breakers.release(provider.name, ctx.permit);
    if (err.extra.usage) await run.ledger.record(provider, model, err.extra.usage, err.reason === 'aborted' ? 'aborted' : 'error');
    const outcome = err.reason === 'rejected' ? 'rejected' : err.reason === 'aborted' ? 'aborted' : 'error';
    this.metrics.attempt(provider.name, provider.model, outcome, guard.elapsedMs() / 1000);
    logEvent(this.logger, `${provider.name}_api_error`, {
      operation: run.request.operation, operation_id: run.operationId, model: provider.model, attempt: ctx.attempt,
      reason: err.reason, status: err.extra.status, error_type: err.extra.apiType, retry_after_ms: err.extra.retryAfterMs,
      latency_ms: guard.elapsedMs(), error: err.message.slice(0, 300),
      ...(err.reason === 'rejected' ? { hint: 'request or API key refused by the provider: not retried, not sent to another paid provider' } : {}),
    }, err.reason === 'aborted' ? 'log' : err.reason === 'rejected' ? 'error' : 'warn');
    return err;
  }

  private toProviderError(name: ProviderName, guard: AttemptGuard, e: unknown, usage?: LlmUsage): ProviderError {
    const extra = usage ? { usage } : {};
    if (guard.reason === 'client') return new ProviderError(name, 'aborted', 'the caller went away', extra);
    if (guard.reason === 'first_token') return new ProviderError(name, 'timeout', `no first token within ${this.config.llm.firstTokenTimeoutMs} ms`, extra);
    if (guard.reason) return new ProviderError(name, 'timeout', `no answer within ${this.config.llm.timeoutMs} ms`, extra);
    if (e instanceof ProviderError) return usage ? new ProviderError(name, e.reason, e.message, { ...e.extra, ...extra }) : e;
    return new ProviderError(name, 'connection', (e as Error)?.message ?? String(e), { ...extra, cause: e });
  }

  /** After the commit point: price what was produced, count it, and build the coded error. */
  private async streamFailed(ctx: AttemptCtx, e: unknown, usage: LlmUsage | undefined, text: string, model: string): Promise<LlmStreamError> {
    const { provider, run, guard } = ctx;
    const code: LlmStreamErrorCode =
      guard.reason === 'client' ? 'client_aborted'
        : guard.reason === 'idle' ? 'stream_idle_timeout'
          : guard.reason ? 'stream_timeout'
            : 'provider_stream_failed';
    const cause = e instanceof ProviderError ? e : this.toProviderError(provider.name, guard, e);
    if (code === 'client_aborted') await this.breakers.success(provider.name, ctx.permit);
    else await this.breakers.failure(provider.name, ctx.permit);
    await run.ledger.record(provider, model, usageSoFar(usage, run.request, text), code === 'provider_stream_failed' ? 'error' : 'aborted');
    this.metrics.attempt(provider.name, provider.model, code === 'client_aborted' ? 'aborted' : 'error', guard.elapsedMs() / 1000);
    if (code !== 'client_aborted') this.metrics.fallback(provider.name, 'none', code === 'provider_stream_failed' ? cause.reason : code, true);
    logEvent(this.logger, `${provider.name}_api_error`, {
      operation: run.request.operation, operation_id: run.operationId, model: provider.model, attempt: ctx.attempt,
      reason: code, provider_reason: cause.reason, status: cause.extra.status, error_type: cause.extra.apiType,
      output_started: true, text_length: text.length, latency_ms: guard.elapsedMs(), error: cause.message.slice(0, 300),
    }, code === 'client_aborted' ? 'log' : 'error');
    return new LlmStreamError(code, provider.name, { operation_id: run.operationId, cost_usd: run.ledger.costUsd, text_length: text.length }, cause);
  }
}
