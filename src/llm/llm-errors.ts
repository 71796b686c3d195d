import type { LlmUsage, ProviderName } from './llm.types';

/**
 * Why one provider attempt failed. The table below is the routing policy: what is retried on the
 * same provider, what falls back to the next one, and what counts against the circuit breaker.
 */
export type FailureReason =
  | 'timeout' // no answer within the per-provider budget, or no first token in time
  | 'connection' // refused, reset, dropped mid-answer
  | 'rate_limited' // 429
  | 'overloaded' // 529 / overloaded_error (also as an `error` event inside a 200 stream)
  | 'server_error' // other 5xx, 408/409, unknown error events
  | 'bad_response' // 200 with a body that is not valid JSON / SSE
  | 'unauthorized' // 401/403: this provider's key is missing, revoked or lacks permission
  | 'rejected' // 400/404/413/422: this request is wrong
  | 'circuit_open' // skipped: the breaker is open (or another replica holds the half-open probe)
  | 'aborted' // the caller's signal (client went away)
  | 'shutdown'; // the service is shutting down and stopped the call before its grace period ran out

interface ReasonPolicy {
  retry: boolean;
  fallback: boolean;
  countsForBreaker: boolean;
}

export const REASON_POLICY: Record<FailureReason, ReasonPolicy> = {
  timeout: { retry: true, fallback: true, countsForBreaker: true },
  connection: { retry: true, fallback: true, countsForBreaker: true },
  rate_limited: { retry: true, fallback: true, countsForBreaker: true },
  overloaded: { retry: true, fallback: true, countsForBreaker: true },
  server_error: { retry: true, fallback: true, countsForBreaker: true },
  bad_response: { retry: true, fallback: true, countsForBreaker: true },
  // A bad key is this provider's problem: the next provider (own key) can answer, and the breaker
  // stops paying a round trip for every request until someone fixes the key.
  unauthorized: { retry: false, fallback: true, countsForBreaker: true },
  // Another paid provider would be billed for the same malformed request: only offline.
  rejected: { retry: false, fallback: false, countsForBreaker: false },
  circuit_open: { retry: false, fallback: true, countsForBreaker: false },
  aborted: { retry: false, fallback: false, countsForBreaker: false },
  shutdown: { retry: false, fallback: false, countsForBreaker: false },
};

/** A provider attempt failed; providers translate their SDK's errors into this. */
export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderName,
    readonly reason: FailureReason,
    message: string,
    readonly extra: {
      status?: number;
      /** Provider's error type, e.g. overloaded_error, rate_limit_exceeded. */
      apiType?: string;
      retryAfterMs?: number;
      /** Tokens the provider reported before failing (billed). */
      usage?: LlmUsage;
      /** Set when the breaker opened under a failing provider: retrying it would only be skipped. */
      noRetry?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get policy(): ReasonPolicy {
    return REASON_POLICY[this.reason];
  }
}

/** Maps an HTTP status and/or a provider error type to a reason. */
export function reasonFor(status: number | undefined, apiType?: string | null): FailureReason {
  if (status === 429 || apiType === 'rate_limit_error' || apiType === 'rate_limit_exceeded') return 'rate_limited';
  if (status === 529 || apiType === 'overloaded_error') return 'overloaded';
  if (status === 408) return 'timeout';
  if (status === undefined || status === 409 || status >= 500) return 'server_error';
  if (
    status === 401 ||
    status === 403 ||
    apiType === 'authentication_error' ||
    apiType === 'permission_error' ||
    apiType === 'invalid_api_key'
  )
    return 'unauthorized';
  return 'rejected';
}

interface HeaderBag {
  get(name: string): string | null | undefined;
}

/**
 * Milliseconds the provider asked us to wait: `retry-after-ms` (float ms), then `retry-after` as
 * seconds or an HTTP date. Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(headers: HeaderBag | undefined | null, now = Date.now()): number | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
