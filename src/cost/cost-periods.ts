import { addDays } from '../common/chile-time';

/**
 * The periods of /metrics/costs. Cost days are Chilean calendar days (common/chile-time.ts): the
 * accountants who read the report close their books on local days. Every period is a list of such
 * days, inclusive. Pure functions; today's day is passed in.
 */
export const COST_PERIODS = ['today', 'yesterday', 'this_week', 'this_month', 'last_30_days', 'all_time'] as const;
export type CostPeriod = (typeof COST_PERIODS)[number];

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
export const isDay = (s: string) => DAY_RE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

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
