/**
 * What time it is, behind one DI token so tests can fix "now": the Chilean day of a cost record,
 * today's date for the DTE date rules, the timestamps of chat messages, SII runs and /health.
 * ClockModule provides `systemClock` under CLOCK once, for the whole application.
 *
 * How long something takes or may still take (timeouts, deadlines, durations in logs) is not a
 * question for the clock: that is performance.now() and timers, which Jest's fake timers control.
 */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
