/** Circuit breaker states; half-open is derived from time (an open circuit whose wait is over). */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** What the store keeps under `llm:breaker:{provider}` while a circuit is open. Absent = closed. */
export interface OpenCircuit {
  openedAt: number;
  /** Epoch ms after which one probe may go through (half-open). */
  until: number;
}

export type Permit = 'pass' | 'probe' | 'skip';

export function stateAt(open: OpenCircuit | null, now: number): BreakerState {
  if (!open) return 'closed';
  return now < open.until ? 'open' : 'half_open';
}

/**
 * Admission for one attempt: closed passes, open skips, half-open lets exactly one caller through
 * as the probe (`gotProbe` says whether this caller won the probe lock) and skips the others.
 */
export function admit(state: BreakerState, gotProbe: boolean): Permit {
  if (state === 'closed') return 'pass';
  if (state === 'open') return 'skip';
  return gotProbe ? 'probe' : 'skip';
}

/** After a failed attempt: a failed probe reopens at once; otherwise open at `threshold` consecutive failures. */
export function opensAfterFailure(permit: Permit, consecutiveFailures: number, threshold: number): boolean {
  return permit === 'probe' || consecutiveFailures >= threshold;
}

export function parseOpenCircuit(raw: string | null): OpenCircuit | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<OpenCircuit>;
    return typeof v.until === 'number' ? { openedAt: Number(v.openedAt ?? v.until), until: v.until } : null;
  } catch {
    return null;
  }
}
