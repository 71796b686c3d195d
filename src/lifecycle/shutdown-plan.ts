/** How SHUTDOWN_GRACE_MS is spent, in ms after the signal. Pure. */
export interface ShutdownPlan {
  /** In-flight provider calls are aborted here (their usage recorded, streams told why). */
  abortInFlightAt: number;
  /** Final writes (the cost ledger's last flush) may retry until here; Redis quits after. */
  finalWritesBy: number;
  /** The process gives up and exits 1 here. */
  forceExitAt: number;
}

/** Never less than this between the abort and the forced exit: answers, flush and quit fit in it. */
const MIN_TAIL_MS = 500;
/** Never more than this: a long grace period goes to the requests, not the tail. */
const MAX_TAIL_MS = 3000;
/** Redis QUIT is given at most 1 s (store.module.ts); keep it outside the flush window. */
const QUIT_MS = 1000;

/**
 * The tail after the abort is a quarter of the grace period, between 0.5 and 3 s: enough to write
 * the final SSE events and answers, flush the cost ledger and quit Redis. The flush gets the tail
 * minus Redis QUIT's second (at least half the tail).
 */
export function shutdownPlan(graceMs: number): ShutdownPlan {
  const grace = Math.max(0, graceMs);
  const tail = Math.min(grace, Math.min(MAX_TAIL_MS, Math.max(MIN_TAIL_MS, Math.round(grace / 4))));
  const flushWindow = Math.max(Math.round(tail / 2), tail - QUIT_MS);
  const abortInFlightAt = grace - tail;
  return { abortInFlightAt, finalWritesBy: abortInFlightAt + flushWindow, forceExitAt: grace };
}
