import type { LlmUsage } from '../llm/llm.types';

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

const claude = (input: number, output: number): ModelPrice => ({
  input,
  output,
  cacheWrite: input * 1.25,
  cacheWrite1h: input * 2,
  cacheRead: input * 0.1,
});
/** OpenAI bills no cache writes; cached input at a per-model discount. */
const gpt = (input: number, output: number, cacheRead: number): ModelPrice => ({
  input,
  output,
  cacheWrite: input,
  cacheWrite1h: input,
  cacheRead,
});

/**
 * Published list prices (USD / MTok). Retired models stay so old cost records can be priced.
 * Overridable with LLM_PRICING_JSON, e.g. {"my-model": {"input": 1, "output": 2}}.
 */
export const DEFAULT_PRICING: Record<string, ModelPrice> = {
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
  'claude-3-haiku': claude(0.25, 1.25),
  'gpt-5': gpt(1.25, 10, 0.125),
  'gpt-5-mini': gpt(0.25, 2, 0.025),
  'gpt-5-nano': gpt(0.05, 0.4, 0.005),
  'gpt-4.1': gpt(2, 8, 0.5),
  'gpt-4.1-mini': gpt(0.4, 1.6, 0.1),
  'gpt-4.1-nano': gpt(0.1, 0.4, 0.025),
  'gpt-4o': gpt(2.5, 10, 1.25),
  'gpt-4o-mini': gpt(0.15, 0.6, 0.075),
  'gpt-4-turbo': gpt(10, 30, 10),
  'gpt-4-turbo-preview': gpt(10, 30, 10),
  'o4-mini': gpt(1.1, 4.4, 0.275),
  'o3': gpt(2, 8, 0.5),
};

/** Price used for a model missing from the table: the dearest current one, so budgets err safe. */
export const UNKNOWN_MODEL_PRICE: ModelPrice = claude(15, 75);

export function mergePricing(overrides?: Record<string, unknown>): Record<string, ModelPrice> {
  const table = { ...DEFAULT_PRICING };
  for (const [model, raw] of Object.entries(overrides ?? {})) {
    const p = raw as Partial<ModelPrice>;
    if (typeof p?.input !== 'number' || typeof p?.output !== 'number') continue;
    const base = model.startsWith('claude') ? claude(p.input, p.output) : gpt(p.input, p.output, p.input);
    table[model] = { ...base, ...p } as ModelPrice;
  }
  return table;
}

/**
 * Exact name first, then the longest table entry that prefixes it (dated snapshots such as
 * `claude-sonnet-4-5-20250929` or `gpt-4.1-mini-2025-04-14`).
 */
export function findPrice(model: string, table: Record<string, ModelPrice> = DEFAULT_PRICING): { price: ModelPrice; known: boolean } {
  if (table[model]) return { price: table[model], known: true };
  const candidates = Object.keys(table).filter((k) => model.startsWith(k + '-') || model.startsWith(k + '@'));
  if (!candidates.length) return { price: UNKNOWN_MODEL_PRICE, known: false };
  const best = candidates.sort((a, b) => b.length - a.length)[0];
  return { price: table[best], known: true };
}

/** USD cost of one call. `input_tokens` excludes cached tokens (they are priced on their own). */
export function costOf(usage: LlmUsage, price: ModelPrice): number {
  const usd =
    (usage.input_tokens * price.input +
      usage.output_tokens * price.output +
      usage.cache_write_tokens * price.cacheWrite +
      usage.cache_write_1h_tokens * price.cacheWrite1h +
      usage.cache_read_tokens * price.cacheRead) /
    1_000_000;
  return Math.round(usd * 1e8) / 1e8;
}

/** Worst case before a call: every prompt token billed as a cache write, and max output. */
export function worstCaseCost(promptTokens: number, maxOutputTokens: number, price: ModelPrice): number {
  return (promptTokens * Math.max(price.input, price.cacheWrite) + maxOutputTokens * price.output) / 1_000_000;
}

/** Rough token count for estimates: ~4 characters per token for Spanish/English text. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);
