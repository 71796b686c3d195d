/**
 * Calendar days in Chile, "YYYY-MM-DD". The SII's calendar (a DTE cannot be dated after today), the
 * accountants' books (a call at 22:30 local time on the 23rd costs on the 23rd, although it is
 * already the 24th in UTC) and the SII monitor's schedule all follow America/Santiago (UTC−3 in
 * summer, UTC−4 in winter), whatever the server's own time zone. Once the day is known, arithmetic on
 * it is plain calendar arithmetic. Pure functions: the instant comes from the caller's clock.
 */
export const CHILE_TIME_ZONE = 'America/Santiago';

const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: CHILE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The last answer, keyed by UTC second: offsets (even historical ones) are whole seconds, so the day
 * cannot change within one, and the LLM calls of a busy second all ask for the same one.
 */
let last = { second: Number.NaN, day: '' };

/** The day `at` falls on in Chile. Throws a RangeError for an invalid date. */
export function chileDay(at: Date): string {
  const second = Math.floor(at.getTime() / 1000);
  if (second === last.second) return last.day;
  const p = Object.fromEntries(parts.formatToParts(at).map((x) => [x.type, x.value]));
  const day = `${p.year}-${p.month}-${p.day}`;
  last = { second, day };
  return day;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Shifted by whole months, the day clamped to the month's end (08-31 − 6 months is 02-28). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}
