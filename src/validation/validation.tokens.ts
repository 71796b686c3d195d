/**
 * The clock behind a token, so the date rules ("not in the future", "not too old") are
 * deterministic in tests. (src/cost has the same shape; a shared one in src/common would do for both.)
 */
export const CLOCK = Symbol('VALIDATION_CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
