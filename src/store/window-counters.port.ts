/** DI token of the rate counters. */
export const WINDOW_COUNTERS = Symbol('WINDOW_COUNTERS');

/**
 * Fixed-window hit counters shared by every replica (rate limits, the validation budget): a
 * counter's window opens with its first hit and the count starts again once it has passed.
 */
export interface WindowCounters {
  /** Counts one hit on `counter`; the hits in its current window and the ms that window has left. */
  hit(counter: string, windowMs: number): Promise<{ count: number; msLeft: number }>;
}
