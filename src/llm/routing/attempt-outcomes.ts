import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { logEvent } from '../../common/log-event';
import { ProviderError } from '../llm-errors';
import { LlmMetrics } from '../llm.metrics';
import { LlmInterruptedError, LlmInterruptionCode, LlmUsage, ProviderName } from '../llm.types';
import { usageSoFar } from '../usage';
import type { AttemptGuard } from './attempt-guard';
import type { AttemptCtx } from './routing.types';
import { ProviderBreakers } from './provider-breakers';

/**
 * Books how each attempt ended, in one place: the breaker learns of it, its tokens are priced
 * under the request's operation id, and it is counted and logged (`{provider}_api_success`,
 * `{provider}_api_error`) with sizes, ids and latency, never prompt text or keys.
 */
@Injectable()
export class AttemptOutcomes {
  private readonly logger = new Logger('LlmService');

  constructor(
    private readonly config: AppConfig,
    private readonly breakers: ProviderBreakers,
    private readonly metrics: LlmMetrics,
  ) {}

  async succeeded(ctx: AttemptCtx, model: string, usage: LlmUsage) {
    const { provider, run, guard } = ctx;
    await this.breakers.success(provider.name, ctx.permit);
    const usd = await run.ledger.record(provider, model, usage, 'success');
    run.ledger.settle(usd);
    this.metrics.attempt(provider.name, provider.model, 'success', guard.elapsedMs() / 1000);
    logEvent(
      this.logger,
      `${provider.name}_api_success`,
      {
        operation: run.request.operation,
        operation_id: run.operationId,
        model,
        attempt: ctx.attempt,
        latency_ms: guard.elapsedMs(),
        ...usage,
        cost_usd: usd,
      },
      'debug',
    );
  }

  /** Books a failed pre-commit attempt and returns the ProviderError that routing acts on. */
  async failed(ctx: AttemptCtx, e: unknown, usage?: LlmUsage, model = ctx.provider.model): Promise<ProviderError> {
    const { provider, run, guard } = ctx;
    // Cut by the shutdown mid-call: the provider may bill what it already processed, so what it
    // reported (or the prompt estimate) is priced rather than nothing.
    const billed = guard.reason === 'shutdown' ? usageSoFar(usage, run.request, '') : usage;
    const err = this.toProviderError(provider.name, guard, e, billed);
    if (err.policy.countsForBreaker) await this.breakers.failure(provider.name, ctx.permit);
    else await this.breakers.release(provider.name, ctx.permit);
    if (err.extra.usage)
      run.ledger.settle(await run.ledger.record(provider, model, err.extra.usage, isCut(err) ? 'aborted' : 'error'));
    // An HTTP error answer is not billed; without an answer (timeout, dropped connection, broken
    // body) the provider may have done the work, so the attempt keeps its worst case.
    else run.ledger.settle(err.extra.status !== undefined && err.extra.status >= 400 ? 0 : null);
    const outcome =
      err.reason === 'rejected' || err.reason === 'unauthorized' ? 'rejected' : isCut(err) ? 'aborted' : 'error';
    this.metrics.attempt(provider.name, provider.model, outcome, guard.elapsedMs() / 1000);
    logEvent(
      this.logger,
      `${provider.name}_api_error`,
      {
        operation: run.request.operation,
        operation_id: run.operationId,
        model: provider.model,
        attempt: ctx.attempt,
        reason: err.reason,
        status: err.extra.status,
        error_type: err.extra.apiType,
        retry_after_ms: err.extra.retryAfterMs,
        latency_ms: guard.elapsedMs(),
        error: err.message.slice(0, 300),
        ...(err.reason === 'rejected'
          ? { hint: 'request refused by the provider: not retried, not sent to another paid provider' }
          : {}),
        ...(err.reason === 'unauthorized'
          ? {
              hint: 'API key refused by the provider (missing, revoked or without permission): check the key; falling back',
            }
          : {}),
      },
      err.reason === 'aborted' ? 'log' : err.reason === 'rejected' || err.reason === 'unauthorized' ? 'error' : 'warn',
    );
    return err;
  }

  private toProviderError(name: ProviderName, guard: AttemptGuard, e: unknown, usage?: LlmUsage): ProviderError {
    const extra = usage ? { usage } : {};
    if (guard.reason === 'client') return new ProviderError(name, 'aborted', 'the caller went away', extra);
    if (guard.reason === 'shutdown') return new ProviderError(name, 'shutdown', 'the service is shutting down', extra);
    if (guard.reason === 'first_token')
      return new ProviderError(
        name,
        'timeout',
        `no first token within ${this.config.llm.firstTokenTimeoutMs} ms`,
        extra,
      );
    if (guard.reason)
      return new ProviderError(name, 'timeout', `no answer within ${this.config.llm.timeoutMs} ms`, extra);
    if (e instanceof ProviderError)
      return usage ? new ProviderError(name, e.reason, e.message, { ...e.extra, ...extra }) : e;
    return new ProviderError(name, 'connection', (e as Error)?.message ?? String(e), { ...extra, cause: e });
  }

  /** After the commit point: price what was produced, count it, and build the coded error. */
  async streamFailed(
    ctx: AttemptCtx,
    e: unknown,
    usage: LlmUsage | undefined,
    text: string,
    model: string,
  ): Promise<LlmInterruptedError> {
    const { provider, run, guard } = ctx;
    const code = streamErrorCode(guard);
    // Cut on our side (client gone, shutdown): the provider itself was answering fine.
    const ourCut = code === 'client_aborted' || code === 'shutting_down';
    const cause = e instanceof ProviderError ? e : this.toProviderError(provider.name, guard, e);
    if (ourCut) await this.breakers.success(provider.name, ctx.permit);
    else await this.breakers.failure(provider.name, ctx.permit);
    const usd = await run.ledger.record(
      provider,
      model,
      usageSoFar(usage, run.request, text),
      code === 'provider_stream_failed' ? 'error' : 'aborted',
    );
    run.ledger.settle(usd);
    this.metrics.attempt(provider.name, provider.model, ourCut ? 'aborted' : 'error', guard.elapsedMs() / 1000);
    if (!ourCut)
      this.metrics.fallback(provider.name, 'none', code === 'provider_stream_failed' ? cause.reason : code, true);
    logEvent(
      this.logger,
      `${provider.name}_api_error`,
      {
        operation: run.request.operation,
        operation_id: run.operationId,
        model: provider.model,
        attempt: ctx.attempt,
        reason: code,
        provider_reason: cause.reason,
        status: cause.extra.status,
        error_type: cause.extra.apiType,
        output_started: true,
        text_length: text.length,
        latency_ms: guard.elapsedMs(),
        error: cause.message.slice(0, 300),
      },
      code === 'client_aborted' ? 'log' : code === 'shutting_down' ? 'warn' : 'error',
    );
    return new LlmInterruptedError(
      code,
      provider.name,
      { operation_id: run.operationId, cost_usd: run.ledger.costUsd, text_length: text.length },
      cause,
    );
  }
}

const isCut = (e: ProviderError) => e.reason === 'aborted' || e.reason === 'shutdown';

function streamErrorCode(guard: AttemptGuard): LlmInterruptionCode {
  switch (guard.reason) {
    case 'client':
      return 'client_aborted';
    case 'shutdown':
      return 'shutting_down';
    case 'idle':
      return 'stream_idle_timeout';
    case undefined:
      return 'provider_stream_failed';
    default:
      return 'stream_timeout';
  }
}
