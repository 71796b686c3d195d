/** DI token of the circuit breakers' shared state. */
export const BREAKER_STORE = Symbol('BREAKER_STORE');

/**
 * One circuit breaker per provider, shared by every replica: the open circuit, the count of
 * consecutive failures and the lease of the single half-open probe.
 */
export interface BreakerStore {
  /** The open circuit as written (JSON), or null while the circuit is closed. */
  circuit(provider: string): Promise<string | null>;
  /** Counts one more consecutive failure; the count lapses `windowMs` after the first one. */
  countFailure(provider: string, windowMs: number): Promise<number>;
  /** Opens the circuit (kept `ttlSeconds`), forgetting the failure count and the probe. */
  open(provider: string, circuit: string, ttlSeconds: number): Promise<void>;
  /** Closes the circuit: forgets it, the failure count and the probe. */
  close(provider: string): Promise<void>;
  /** Takes the half-open probe for `ttlSeconds`; true for the one caller that got it. */
  claimProbe(provider: string, holder: string, ttlSeconds: number): Promise<boolean>;
  /** Frees the probe, so the next caller may probe. */
  releaseProbe(provider: string): Promise<void>;
}
