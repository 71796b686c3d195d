import type { LlmOperation, LlmUsage } from '../llm/llm.types';
import { lookupTable } from '../common/lookup-table';

/**
 * Field layout of the cost counters (pure functions, no I/O).
 *
 * One set of integer counters per Chilean calendar day (the store keeps it 400 days after its
 * last write: `cost_tracker:day:{YYYY-MM-DD}` in Redis). Fields are `{dimension}:{name}:{metric}`:
 *   dimension: `op` (chat, dte_validation, sii_monitoring), `model`, `provider`, `outcome`
 *   metric:    calls, cost_nano, input_tokens, output_tokens, cache_read_tokens,
 *              cache_write_tokens (5-minute), cache_write_1h_tokens
 * e.g. `op:chat:calls`, `model:claude-sonnet-4-6:cost_nano`, `outcome:error:calls`.
 * Costs are integer nano-dollars (1e-9 USD): per-call prices have 1e-8 resolution, so sums are
 * exact and match the `cost_usd` the answers carried. `w:{writer}` fields are the replicas'
 * write sequence counters used to make retried writes idempotent (see CostLedger).
 */
export const WRITER_FIELD_PREFIX = 'w:';

const NANO_PER_USD = 1_000_000_000;
export const toNano = (usd: number) => Math.round(usd * NANO_PER_USD);
/** Nano-dollars to USD with the 1e-8 resolution of the price functions. */
export const nanoToUsd = (nano: number) => Math.round(nano / 10) / 1e8;

const OPERATIONS: readonly LlmOperation[] = ['chat', 'dte_validation', 'sii_monitoring'];
const DIMENSIONS = ['op', 'model', 'provider', 'outcome'] as const;
type Dimension = (typeof DIMENSIONS)[number];
const METRICS = [
  'calls',
  'cost_nano',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
] as const;
type Metric = (typeof METRICS)[number];

export interface LedgerEntry {
  operation: LlmOperation;
  provider: string;
  model: string;
  outcome: string;
  usage: LlmUsage;
  costNano: number;
}

/** Names end up inside hash fields: keep them printable and bounded. */
export const safeName = (s: string) => (s || 'unknown').slice(0, 100).replace(/[\s\p{Cc}]+/gu, '_');

/** The HINCRBY increments of one call. */
export function incrementsFor(e: LedgerEntry): Record<string, number> {
  const values: Record<Metric, number> = {
    calls: 1,
    cost_nano: e.costNano,
    input_tokens: e.usage.input_tokens,
    output_tokens: e.usage.output_tokens,
    cache_read_tokens: e.usage.cache_read_tokens,
    cache_write_tokens: e.usage.cache_write_tokens,
    cache_write_1h_tokens: e.usage.cache_write_1h_tokens,
  };
  const out: Record<string, number> = { [`outcome:${safeName(e.outcome)}:calls`]: 1 };
  for (const [dim, name] of [
    ['op', e.operation],
    ['model', e.model],
    ['provider', e.provider],
  ] as const) {
    for (const m of METRICS) if (values[m] !== 0) out[`${dim}:${safeName(name)}:${m}`] = values[m];
  }
  return out;
}

/** Adds `b` into `a` (merging queued increments of the same day). */
export function addInto(a: Record<string, number>, b: Record<string, number>) {
  for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v;
}

export type Totals = Record<Metric, number>;
export interface DayTotals {
  op: Record<string, Totals>;
  model: Record<string, Totals>;
  provider: Record<string, Totals>;
  outcome: Record<string, number>;
}

const zero = (): Totals => Object.fromEntries(METRICS.map((m) => [m, 0])) as Totals;

/**
 * Sums several day hashes. A field is `{dim}:{name}:{metric}` where the name may itself hold
 * colons (e.g. an Ollama model `llama3:8b`): the dimension is before the first colon and the
 * metric after the last. Unknown fields (writer counters, future additions) are ignored.
 */
export function sumDays(hashes: Record<string, number | string>[]): DayTotals {
  // Keyed by provider and model names: tables without a prototype (a model may be called `__proto__`).
  const out: DayTotals = { op: lookupTable(), model: lookupTable(), provider: lookupTable(), outcome: lookupTable() };
  for (const op of OPERATIONS) out.op[op] = zero();
  for (const h of hashes) {
    for (const [field, raw] of Object.entries(h)) {
      const first = field.indexOf(':');
      const last = field.lastIndexOf(':');
      if (first <= 0 || last <= first) continue;
      const dim = field.slice(0, first) as Dimension;
      const name = field.slice(first + 1, last);
      const metric = field.slice(last + 1) as Metric;
      const n = Number(raw);
      if (!DIMENSIONS.includes(dim) || !METRICS.includes(metric) || !Number.isFinite(n)) continue;
      if (dim === 'outcome') {
        if (metric === 'calls') out.outcome[name] = (out.outcome[name] ?? 0) + n;
        continue;
      }
      const bucket = (out[dim][name] ??= zero());
      bucket[metric] += n;
    }
  }
  return out;
}
