/**
 * The clock behind one DI token, so tests can fix "now" (validation's date rules, cost days,
 * SII runs). Modules provide `systemClock` under CLOCK; tests override that one token.
 */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
