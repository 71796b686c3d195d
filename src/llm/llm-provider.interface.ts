import type { LlmRequest, LlmUsage, ProviderName } from './llm.types';

/** Per-attempt limits the router hands to a provider. */
export interface ProviderCallOptions {
  /** Aborts the HTTP call (router timeouts, client disconnect). */
  signal: AbortSignal;
  /** Timeout for this call, given to the SDK (what is left of the provider's budget). */
  timeoutMs: number;
}

export interface ProviderReply {
  text: string;
  /** The model that answered, as the provider reports it. */
  model: string;
  usage: LlmUsage;
}

/**
 * What a provider stream yields: content deltas, and usage whenever the provider reports it
 * (cumulative; the last one wins). Anthropic's message_start/ping and OpenAI's empty role chunk
 * yield no delta. A stream that ends without the provider's end marker throws ProviderError.
 */
export type ProviderStreamEvent = { type: 'delta'; text: string } | { type: 'usage'; usage: LlmUsage; model?: string };

/**
 * One LLM backend. Implementations live in `providers/` (the only place an SDK may be imported)
 * and throw `ProviderError` (llm-errors.ts) with a routing reason on every failure.
 */
export interface LlmProvider {
  readonly name: ProviderName;
  /** Configured model (used for cost estimates before the call). */
  readonly model: string;
  /** Max output tokens for this provider (request.maxTokens is capped to it). */
  readonly maxTokens: number;
  /** Paid providers are guarded by breaker, retries and the cost limit; offline is not. */
  readonly paid: boolean;
  complete(request: LlmRequest, options: ProviderCallOptions): Promise<ProviderReply>;
  stream(request: LlmRequest, options: ProviderCallOptions): AsyncIterable<ProviderStreamEvent>;
}
