import { emptyUsage, LlmRequest, LlmUsage } from './llm.types';

/** Anthropic's usage as it appears in a message, message_start or (cumulative) message_delta. */
export interface AnthropicWireUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
}

export interface OpenAiWireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
}

const n = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * Anthropic already reports `input_tokens` without cache reads/writes. Cache writes are split by
 * TTL when `cache_creation` is present; otherwise all of them are 5-minute writes.
 */
export function fromAnthropicUsage(u: AnthropicWireUsage | null | undefined): LlmUsage {
  if (!u) return emptyUsage();
  const split = u.cache_creation;
  const w1h = n(split?.ephemeral_1h_input_tokens);
  const w5m = split ? n(split.ephemeral_5m_input_tokens) : n(u.cache_creation_input_tokens);
  return {
    input_tokens: n(u.input_tokens),
    output_tokens: n(u.output_tokens),
    cache_read_tokens: n(u.cache_read_input_tokens),
    cache_write_tokens: w5m,
    cache_write_1h_tokens: w1h,
  };
}

/** Anthropic streams: message_delta's usage is cumulative; fields it leaves null keep message_start's. */
export function mergeAnthropicUsage(
  start: AnthropicWireUsage | null | undefined,
  delta: AnthropicWireUsage | null | undefined,
): AnthropicWireUsage {
  const out: AnthropicWireUsage = { ...(start ?? {}) };
  for (const [k, v] of Object.entries(delta ?? {}))
    if (v !== null && v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** OpenAI counts cached tokens inside prompt_tokens: take them out so they are not priced twice. */
export function fromOpenAiUsage(u: OpenAiWireUsage | null | undefined): LlmUsage {
  if (!u) return emptyUsage();
  const cached = n(u.prompt_tokens_details?.cached_tokens);
  return {
    input_tokens: Math.max(0, n(u.prompt_tokens) - cached),
    output_tokens: n(u.completion_tokens),
    cache_read_tokens: cached,
    cache_write_tokens: 0,
    cache_write_1h_tokens: 0,
  };
}

const totalPromptTokens = (u: LlmUsage) =>
  u.input_tokens + u.cache_read_tokens + u.cache_write_tokens + u.cache_write_1h_tokens;

export const isEmptyUsage = (u: LlmUsage) => totalPromptTokens(u) + u.output_tokens === 0;

/**
 * Rough token count for estimates (the cost guard's worst case, streams cut before the provider
 * reported usage): ~4 characters per token for Spanish/English text. Only the LLM layer counts
 * tokens; cost tracking prices the counts it is given.
 */
const tokensForChars = (chars: number) => Math.ceil(chars / 4);
const estimateTokens = (text: string) => tokensForChars(text.length);

/** Every text that goes into the prompt, for estimates (cost guard, aborted streams). */
export const promptText = (r: LlmRequest) =>
  [r.system, r.context ?? '', r.volatile ?? '', ...r.messages.map((m) => m.content)].join('\n');

/** promptText(r).length, without building the (often 10+ KB) string on every request. */
export function promptLength(r: LlmRequest): number {
  let length = r.system.length + (r.context?.length ?? 0) + (r.volatile?.length ?? 0) + 2 + r.messages.length;
  for (const m of r.messages) length += m.content.length;
  return length;
}

/** estimateTokens(promptText(r)), computed from the lengths. */
export const estimatePromptTokens = (r: LlmRequest) => tokensForChars(promptLength(r));

/**
 * Usage of an attempt that ended early: what the provider reported, with the output at least the
 * size of the text already produced and, when the provider said nothing, the prompt estimated.
 */
export function usageSoFar(reported: LlmUsage | undefined, request: LlmRequest, producedText: string): LlmUsage {
  const u = reported ? { ...reported } : emptyUsage();
  if (totalPromptTokens(u) === 0) u.input_tokens = estimatePromptTokens(request);
  u.output_tokens = Math.max(u.output_tokens, estimateTokens(producedText));
  return u;
}
