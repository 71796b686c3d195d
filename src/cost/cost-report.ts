import { CHILE_TIME_ZONE } from '../common/chile-time';
import { CostPeriod } from './cost-periods';
import { DayTotals, nanoToUsd, Totals } from './cost-ledger.format';

interface CostBreakdown {
  calls: number;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
}

/** The answer of GET /metrics/costs (docs/api.md): the fields Odoo's clients know first, then the extras. */
export interface CostReport {
  period: CostPeriod;
  from: string;
  to: string;
  timezone: string;
  total_cost_usd: number;
  total_calls: number;
  total_input_tokens: number;
  total_output_tokens: number;
  avg_tokens_per_call: number;
  total_cache_read_tokens: number;
  total_cache_write_tokens: number;
  total_cache_write_1h_tokens: number;
  cache_hit_rate: number;
  by_operation: Record<string, CostBreakdown>;
  by_model: Record<string, CostBreakdown>;
  by_provider: Record<string, CostBreakdown>;
  by_outcome: Record<string, number>;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

function breakdown(t: Totals): CostBreakdown {
  return {
    calls: t.calls,
    cost_usd: nanoToUsd(t.cost_nano),
    input_tokens: t.input_tokens,
    output_tokens: t.output_tokens,
    cache_read_tokens: t.cache_read_tokens,
    cache_write_tokens: t.cache_write_tokens + t.cache_write_1h_tokens,
  };
}

const mapValues = <T, U>(o: Record<string, T>, f: (v: T) => U) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/**
 * Totals come from the per-operation counters (every call has exactly one operation).
 * `total_input_tokens` is plain (uncached) input; `avg_tokens_per_call` is the whole prompt plus
 * output per call (plain input + cache reads + cache writes + output), the size the operations
 * guide warns about above 50K. `cache_hit_rate` = cache_read / (cache_read + cache_write + input).
 */
export function buildReport(period: CostPeriod, from: string, to: string, days: DayTotals): CostReport {
  const ops = Object.values(days.op);
  const sum = (m: keyof Totals) => ops.reduce((s, t) => s + t[m], 0);
  const calls = sum('calls');
  const input = sum('input_tokens');
  const output = sum('output_tokens');
  const read = sum('cache_read_tokens');
  const write5m = sum('cache_write_tokens');
  const write1h = sum('cache_write_1h_tokens');
  const prompt = input + read + write5m + write1h;
  return {
    period,
    from,
    to,
    timezone: CHILE_TIME_ZONE,
    total_cost_usd: nanoToUsd(sum('cost_nano')),
    total_calls: calls,
    total_input_tokens: input,
    total_output_tokens: output,
    avg_tokens_per_call: calls ? round((prompt + output) / calls, 1) : 0,
    total_cache_read_tokens: read,
    total_cache_write_tokens: write5m + write1h,
    total_cache_write_1h_tokens: write1h,
    cache_hit_rate: prompt ? round(read / prompt, 4) : 0,
    by_operation: mapValues(days.op, breakdown),
    by_model: mapValues(days.model, breakdown),
    by_provider: mapValues(days.provider, breakdown),
    by_outcome: days.outcome,
  };
}
