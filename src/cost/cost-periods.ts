/**
 * Cost days are calendar days in Chile (America/Santiago, UTC−3 in summer, UTC−4 in winter): the
 * accountants who read /metrics/costs close their books on local days, so a call at 22:30 local
 * time on the 23rd belongs to the 23rd even though it is already the 24th in UTC. Every period is
 * a list of such days, inclusive. Pure functions; the clock is passed in.
 */
export const COST_TIME_ZONE = 'America/Santiago';

export const COST_PERIODS = ['today', 'yesterday', 'this_week', 'this_month', 'last_30_days', 'all_time'] as const;
export type CostPeriod = (typeof COST_PERIODS)[number];

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
export const isDay = (s: string) => DAY_RE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The last answer per time zone, keyed by UTC second: offsets (even historical ones) are whole
 * seconds, so the local day cannot change within one, and a busy second's LLM calls all ask for it.
 */
const lastDay = new Map<string, { second: number; day: string }>();

/** `YYYY-MM-DD` of `at` in `timeZone`. */
export function localDay(at: Date, timeZone = COST_TIME_ZONE): string {
  const second = Math.floor(at.getTime() / 1000);
  const last = lastDay.get(timeZone);
  if (last?.second === second) return last.day;
  const day = formatDay(at, timeZone);
  lastDay.set(timeZone, { second, day });
  return day;
}

function formatDay(at: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Calendar arithmetic on `YYYY-MM-DD` (time zones do not matter once the day is known). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday: Monday 1 … Sunday 7. */
const isoWeekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay() || 7;

export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 10_000; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * First and last day of a period ending today. Weeks start on Monday (Chilean convention).
 * `all_time` is resolved by the caller from the stored days; here it is just today.
 */
export function periodRange(period: CostPeriod, today: string): { from: string; to: string } {
  switch (period) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const y = addDays(today, -1);
      return { from: y, to: y };
    }
    case 'this_week':
      return { from: addDays(today, 1 - isoWeekday(today)), to: today };
    case 'this_month':
      return { from: `${today.slice(0, 8)}01`, to: today };
    case 'last_30_days':
      return { from: addDays(today, -29), to: today };
    case 'all_time':
      return { from: today, to: today };
  }
}
