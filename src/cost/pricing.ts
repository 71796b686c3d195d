import type { LlmUsage } from '../llm/llm.types';
import { constantTable, lookupTable } from '../common/lookup-table';

/** USD per million tokens. Cache prices are explicit per model (providers differ). */
export interface ModelPrice {
  input: number;
  output: number;
  /** 5-minute cache write (Anthropic: 1.25 × input). */
  cacheWrite: number;
  /** 1-hour cache write (Anthropic: 2 × input). */
  cacheWrite1h: number;
  cacheRead: number;
}

/**
 * Anthropic bills prompt caching as multiples of the input price: 5-minute writes 1.25×, 1-hour writes
 * 2×, reads 0.1× (platform.claude.com/en/docs/build-with-claude/prompt-caching, "Pricing").
 */
const ANTHROPIC_CACHE = { write5m: 1.25, write1h: 2, read: 0.1 } as const;

const claude = (input: number, output: number): ModelPrice => ({
  input,
  output,
  cacheWrite: input * ANTHROPIC_CACHE.write5m,
  cacheWrite1h: input * ANTHROPIC_CACHE.write1h,
  cacheRead: input * ANTHROPIC_CACHE.read,
});
/** OpenAI bills no cache writes (caching is automatic); cached input at a per-model discount. */
const gpt = (input: number, output: number, cacheRead = input): ModelPrice => ({
  input,
  output,
  cacheWrite: input,
  cacheWrite1h: input,
  cacheRead,
});

/**
 * Published list prices (USD / MTok, standard tier, prompts under 200K tokens). Retired models stay
 * so old cost records can be priced: the seeds' `claude-3-5-sonnet-20241022` and
 * `gpt-4-turbo-preview` included. Dated snapshots (`claude-sonnet-4-5-20250929`,
 * `gpt-4.1-mini-2025-04-14`) resolve to their family by prefix (see findPrice).
 * Overridable with LLM_PRICING_JSON, e.g. {"my-model": {"input": 1, "output": 2}}.
 */
export const DEFAULT_PRICING: Readonly<Record<string, ModelPrice>> = constantTable({
  // Anthropic
  'claude-opus-4-5': claude(5, 25),
  'claude-opus-4-1': claude(15, 75),
  'claude-opus-4': claude(15, 75),
  'claude-sonnet-4-6': claude(3, 15),
  'claude-sonnet-4-5': claude(3, 15),
  'claude-sonnet-4': claude(3, 15),
  'claude-haiku-4-5': claude(1, 5),
  'claude-3-7-sonnet': claude(3, 15),
  'claude-3-5-sonnet': claude(3, 15),
  'claude-3-5-haiku': claude(0.8, 4),
  'claude-3-opus': claude(15, 75),
  'claude-3-haiku': claude(0.25, 1.25),
  // OpenAI
  'gpt-5.1': gpt(1.25, 10, 0.125),
  'gpt-5': gpt(1.25, 10, 0.125),
  'gpt-5-mini': gpt(0.25, 2, 0.025),
  'gpt-5-nano': gpt(0.05, 0.4, 0.005),
  'gpt-4.1': gpt(2, 8, 0.5),
  'gpt-4.1-mini': gpt(0.4, 1.6, 0.1),
  'gpt-4.1-nano': gpt(0.1, 0.4, 0.025),
  'gpt-4o': gpt(2.5, 10, 1.25),
  'gpt-4o-mini': gpt(0.15, 0.6, 0.075),
  'gpt-4-turbo': gpt(10, 30),
  'gpt-4-turbo-preview': gpt(10, 30),
  'gpt-4-1106-preview': gpt(10, 30),
  'gpt-4-0125-preview': gpt(10, 30),
  'gpt-4': gpt(30, 60),
  'gpt-3.5-turbo': gpt(0.5, 1.5),
  'o4-mini': gpt(1.1, 4.4, 0.275),
  o3: gpt(2, 8, 0.5),
  'o3-mini': gpt(1.1, 4.4, 0.55),
  o1: gpt(15, 60, 7.5),
});

/** The merged table only (see mergePricingChecked for the rejected entries). */
export const mergePricing = (overrides?: Record<string, unknown>) => mergePricingChecked(overrides).table;

/** Price used for a model missing from the table: the dearest current one, so budgets err safe. */
export const UNKNOWN_MODEL_PRICE: ModelPrice = claude(15, 75);

const PRICE_FIELDS = constantTable<keyof ModelPrice>({
  input: 'input',
  output: 'output',
  cacheWrite: 'cacheWrite',
  cache_write: 'cacheWrite',
  cacheWrite1h: 'cacheWrite1h',
  cache_write_1h: 'cacheWrite1h',
  cacheRead: 'cacheRead',
  cache_read: 'cacheRead',
});

export interface PricingMerge {
  table: Record<string, ModelPrice>;
  /** Override entries that were not usable, with the reason (logged at start-up). */
  rejected: { model: string; reason: string }[];
}

/**
 * Applies LLM_PRICING_JSON over the defaults. An override may change only some prices of a known
 * model (`{"gpt-4.1": {"output": 7}}`); a new model needs `input` and `output`. Cache prices that
 * are not given are derived from the input price like the provider family does (Claude multipliers,
 * or no cache discount for others).
 */
export function mergePricingChecked(overrides?: Record<string, unknown>): PricingMerge {
  // Model names are keys: a table without a prototype, so `__proto__` or `constructor` are plain names.
  const table = lookupTable(DEFAULT_PRICING);
  const rejected: PricingMerge['rejected'] = [];
  for (const [model, raw] of Object.entries(overrides ?? {})) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      rejected.push({ model, reason: 'must be an object of USD per million tokens' });
      continue;
    }
    const given: Partial<ModelPrice> = {};
    let bad = '';
    for (const [k, v] of Object.entries(raw)) {
      const field = PRICE_FIELDS[k];
      if (!field) bad ||= `unknown price "${k}"`;
      else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad ||= `"${k}" must be a non-negative number`;
      else given[field] = v;
    }
    const existing = table[model];
    const input = given.input ?? existing?.input;
    const output = given.output ?? existing?.output;
    if (!bad && (input === undefined || output === undefined)) bad = 'a new model needs "input" and "output"';
    if (bad) {
      rejected.push({ model, reason: bad });
      continue;
    }
    const inputChanged = given.input !== undefined && given.input !== existing?.input;
    const base =
      !existing || inputChanged
        ? model.startsWith('claude')
          ? claude(input, output)
          : gpt(input, output)
        : { ...existing, output: output };
    table[model] = { ...base, ...given };
  }
  return { table, rejected };
}

/**
 * Exact name first, then the longest table entry that prefixes it (dated snapshots such as
 * `claude-sonnet-4-5-20250929`, `gpt-4.1-mini-2025-04-14`, Vertex's `claude-3-5-sonnet-v2@20241022`).
 */
export function findPrice(
  model: string,
  table: Readonly<Record<string, ModelPrice>> = DEFAULT_PRICING,
): { price: ModelPrice; known: boolean } {
  if (Object.hasOwn(table, model)) return { price: table[model], known: true };
  const candidates = Object.keys(table).filter((k) => model.startsWith(k + '-') || model.startsWith(k + '@'));
  if (!candidates.length) return { price: UNKNOWN_MODEL_PRICE, known: false };
  const best = candidates.sort((a, b) => b.length - a.length)[0];
  return { price: table[best], known: true };
}

const tokens = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

/** Usage with every count a non-negative integer (providers and proxies send odd values). */
export function cleanUsage(usage: Partial<LlmUsage> | undefined): LlmUsage {
  return {
    input_tokens: tokens(usage?.input_tokens),
    output_tokens: tokens(usage?.output_tokens),
    cache_read_tokens: tokens(usage?.cache_read_tokens),
    cache_write_tokens: tokens(usage?.cache_write_tokens),
    cache_write_1h_tokens: tokens(usage?.cache_write_1h_tokens),
  };
}

/**
 * USD cost of one call. `input_tokens` excludes cached tokens: the providers' adapters report cache
 * reads and writes apart, and each token is priced exactly once at its own rate. Rounded to 1e-8.
 */
export function costOf(usage: LlmUsage, price: ModelPrice): number {
  const u = cleanUsage(usage);
  const usd =
    (u.input_tokens * price.input +
      u.output_tokens * price.output +
      u.cache_write_tokens * price.cacheWrite +
      u.cache_write_1h_tokens * price.cacheWrite1h +
      u.cache_read_tokens * price.cacheRead) /
    1_000_000;
  return Math.round(usd * 1e8) / 1e8;
}

/** Worst case before a call: every prompt token billed at the dearest input rate, and max output. */
export function worstCaseCost(promptTokens: number, maxOutputTokens: number, price: ModelPrice): number {
  const dearestInput = Math.max(price.input, price.cacheWrite, price.cacheWrite1h);
  return (tokens(promptTokens) * dearestInput + tokens(maxOutputTokens) * price.output) / 1_000_000;
}
