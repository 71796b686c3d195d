import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { logEvent } from '../../common/log-event';
import { Lifecycle } from '../../lifecycle/lifecycle.service';
import { ProviderError } from '../llm-errors';
import type { LlmProvider, ProviderReply } from '../llm-provider.interface';
import { LlmMetrics } from '../llm.metrics';
import type { LlmUsage } from '../llm.types';
import { isEmptyUsage, usageSoFar } from '../usage';
import { AttemptCut, AttemptGuard } from './attempt-guard';
import { AttemptOutcomes } from './attempt-outcomes';
import { ProviderBreakers } from './provider-breakers';
import { providerRetryPolicy } from './retry-policy';
import type { AttemptCtx, Committed, Delta, OpenedStream, RequestRun } from './routing.types';

/**
 * Runs attempts on one provider: breaker admission, cost reservation, bounded retries and the
 * attempt's time limits (AttemptOutcomes books each result). `commit` throws ProviderError (with a
 * routing reason) before the commit point; `relay` throws LlmInterruptedError after it.
 */
@Injectable()
export class ProviderAttempts {
  private readonly logger = new Logger('LlmService');

  constructor(
    private readonly config: AppConfig,
    private readonly breakers: ProviderBreakers,
    private readonly metrics: LlmMetrics,
    private readonly outcomes: AttemptOutcomes,
    private readonly lifecycle: Lifecycle,
  ) {}

  /** Attempts `provider` (retrying as the policy allows) until it commits: a whole reply or a stream's first delta. */
  async commit(provider: LlmProvider, run: RequestRun, streaming: boolean): Promise<Committed> {
    return streaming ? { stream: await this.open(provider, run) } : { reply: await this.complete(provider, run) };
  }

  /** After the commit point: a whole reply as it is, a stream delta by delta (see drain). */
  async *relay(committed: Committed, run: RequestRun): AsyncGenerator<Delta, ProviderReply> {
    if ('reply' in committed) return committed.reply;
    return yield* this.drain(committed.stream, run);
  }

  private async complete(provider: LlmProvider, run: RequestRun): Promise<ProviderReply> {
    return this.withRetries(provider, run, false, async (ctx) => {
      try {
        const reply = await ctx.guard.wait(
          provider.complete(run.request, { signal: ctx.guard.signal, timeoutMs: ctx.guard.remainingMs() }),
        );
        await this.outcomes.succeeded(ctx, reply.model, reply.usage);
        return reply;
      } catch (e) {
        throw await this.outcomes.failed(ctx, e);
      } finally {
        ctx.guard.dispose();
      }
    });
  }

  /** Opens a stream and waits for its first content delta (retrying and failing like complete). */
  private async open(provider: LlmProvider, run: RequestRun): Promise<OpenedStream> {
    return this.withRetries(provider, run, true, async (ctx) => {
      const { guard } = ctx;
      const stream = provider.stream(run.request, { signal: guard.signal, timeoutMs: guard.remainingMs() });
      const iterator = stream[Symbol.asyncIterator]();
      const firstTokenBy = guard.startedAt + this.config.llm.firstTokenTimeoutMs;
      let usage: LlmUsage | undefined;
      let model = provider.model;
      try {
        for (;;) {
          const r = await guard.wait(iterator.next(), Math.max(1, firstTokenBy - Date.now()), 'first_token');
          if (r.done)
            return { provider, iterator, guard, permit: ctx.permit, attempt: ctx.attempt, first: null, usage, model };
          if (r.value.type === 'usage') {
            usage = r.value.usage;
            model = r.value.model ?? model;
            continue;
          }
          this.metrics.firstToken(provider.name, guard.elapsedMs() / 1000);
          return {
            provider,
            iterator,
            guard,
            permit: ctx.permit,
            attempt: ctx.attempt,
            first: r.value.text,
            usage,
            model,
          };
        }
      } catch (e) {
        iterator.return?.(undefined)?.catch(() => undefined);
        guard.dispose();
        throw await this.outcomes.failed(ctx, e, usage && !isEmptyUsage(usage) ? usage : undefined, model);
      }
    });
  }

  /**
   * Relays a committed stream. Three limits apply: the gap between chunks, the provider budget,
   * and the caller's signal. A failure here ends the stream with a coded LlmInterruptedError after
   * pricing the tokens produced so far; a consumer that stops early aborts the provider call.
   */
  private async *drain(o: OpenedStream, run: RequestRun): AsyncGenerator<Delta, ProviderReply> {
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
      await this.outcomes.succeeded(ctx, model, final);
      return { text, model, usage: final };
    } catch (e) {
      settled = true;
      throw await this.outcomes.streamFailed(ctx, e, usage, text, model);
    } finally {
      if (!settled) {
        // The consumer stopped reading (client gone): cut the provider call, bill what it produced.
        o.guard.abort('client');
        await this.outcomes.streamFailed(ctx, new AttemptCut('client'), usage, text, model).catch(() => undefined);
      }
      o.guard.dispose();
      o.iterator.return?.(undefined)?.catch(() => undefined);
    }
  }

  private async withRetries<T>(
    provider: LlmProvider,
    run: RequestRun,
    streaming: boolean,
    fn: (ctx: AttemptCtx) => Promise<T>,
  ): Promise<T> {
    const deadline = Date.now() + this.config.llm.timeoutMs;
    const stop = this.lifecycle.stopSignal;
    const policy = providerRetryPolicy(this.config.llm.maxRetries, () => (stop.aborted ? 0 : deadline - Date.now()));
    let attempt = 0;
    let last: ProviderError | undefined;
    let waiting = false;
    const attempts = policy.execute(async () => {
      waiting = false;
      if (stop.aborted) throw stopped(provider);
      attempt += 1;
      const permit = await this.breakers.acquire(provider.name);
      if (permit === 'skip') {
        this.metrics.attempt(provider.name, provider.model, 'skipped');
        // Our own failure just opened it: hand on that reason, not "circuit_open".
        if (last) throw new ProviderError(provider.name, last.reason, last.message, { ...last.extra, noRetry: true });
        throw new ProviderError(provider.name, 'circuit_open', 'circuit open: skipped until it half-opens');
      }
      let reservedUsd: number;
      try {
        reservedUsd = run.ledger.reserve(provider);
      } catch (e) {
        await this.breakers.release(provider.name, permit);
        // After a failed attempt that may have been billed, the limit can leave no room for a
        // retry: that ends this provider with the failure's own reason (routing goes on).
        if (last)
          throw new ProviderError(provider.name, last.reason, (e as Error).message, { ...last.extra, noRetry: true });
        throw e;
      }
      const guard = new AttemptGuard(run.request.signal, deadline, stop);
      // debug: the operation's own completion line (chat_message_completed, dte_validation_completed,
      // sii_monitor_completed) carries the call's outcome at info; failures are warnings.
      logEvent(
        this.logger,
        `calling_${provider.name}_api`,
        {
          operation: run.request.operation,
          operation_id: run.operationId,
          model: provider.model,
          attempt,
          streaming,
          message_count: run.request.messages.length,
          reserved_usd: Math.round(reservedUsd * 1e6) / 1e6,
          probe: permit === 'probe' || undefined,
        },
        'debug',
      );
      try {
        return await fn({ provider, run, permit, guard, attempt });
      } catch (e) {
        if (e instanceof ProviderError) last = e;
        waiting = true;
        throw e;
      }
    }, run.request.signal);
    // A shutdown during a retry wait ends the wait (the policy's sleep cannot be interrupted); one
    // during an attempt is the guard's to handle, so its usage is recorded before we return.
    return untilStopped(
      attempts,
      stop,
      () => waiting,
      () => stopped(provider),
    );
  }
}

const stopped = (provider: LlmProvider) =>
  new ProviderError(provider.name, 'shutdown', 'the service is shutting down', { noRetry: true });

function untilStopped<T>(work: Promise<T>, stop: AbortSignal, idle: () => boolean, error: () => Error): Promise<T> {
  if (stop.aborted) return work;
  return new Promise<T>((resolve, reject) => {
    const onStop = () => {
      if (idle()) reject(error());
    };
    stop.addEventListener('abort', onStop, { once: true });
    work.then(resolve, reject).finally(() => stop.removeEventListener('abort', onStop));
  });
}
