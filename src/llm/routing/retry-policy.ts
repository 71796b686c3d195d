import { DelegateBackoff, handleWhen, retry, RetryPolicy } from 'cockatiel';
import { ProviderError } from '../llm-errors';

const BASE_DELAY_MS = 250;
const MAX_BACKOFF_MS = 4_000;
/** A retry that would leave less than this for the call itself is not worth making. */
const MIN_ATTEMPT_MS = 500;

/** The provider's own retry-after when it gave one, else exponential backoff from 250 ms. */
export function retryDelayMs(error: unknown, attempt: number): number {
  if (error instanceof ProviderError && error.extra.retryAfterMs !== undefined) return error.extra.retryAfterMs;
  return Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
}

/** Retry only reasons the policy table marks retryable, and only if the wait still fits the budget. */
export function worthRetrying(error: unknown, attempt: number, remainingMs: number): boolean {
  return (
    error instanceof ProviderError &&
    error.policy.retry &&
    !error.extra.noRetry &&
    retryDelayMs(error, attempt) + MIN_ATTEMPT_MS <= remainingMs
  );
}

/**
 * Same-provider retries (cockatiel): `maxRetries` extra attempts, each waiting what the failed
 * response asked for (`retry-after`, 529 included), all inside the provider's budget.
 */
export function providerRetryPolicy(maxRetries: number, remainingMs: () => number): RetryPolicy {
  let attempt = 1;
  return retry(
    handleWhen((e) => worthRetrying(e, attempt, remainingMs())),
    {
      maxAttempts: maxRetries,
      backoff: new DelegateBackoff((ctx) => {
        attempt = ctx.attempt + 1;
        return retryDelayMs('error' in ctx.result ? ctx.result.error : undefined, ctx.attempt);
      }),
    },
  );
}
