/** What every module may ask of the LLM layer; which provider answered stays hidden behind it. */
export type LlmOperation = 'chat' | 'dte_validation' | 'sii_monitoring';
export type ProviderName = 'anthropic' | 'openai' | 'offline';
export type ProviderState = 'configured' | 'not_configured' | 'circuit_open';

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** A knowledge passage handed to the model (and the offline provider's only material). */
export interface KnowledgePassage {
  title: string;
  content: string;
  score?: number;
  /** The laws, resolutions and official pages the document rests on (its front matter `sources`). */
  sources?: string[];
  /** Day the document was last checked against them (YYYY-MM-DD). */
  reviewed?: string;
}

export interface LlmRequest {
  operation: LlmOperation;
  /** Stable instructions (plugin system prompt). First part of the cached prefix. */
  system: string;
  /** Knowledge context; appended to the cached prefix after `system`. */
  context?: string;
  /** Per-request system text (user, company, open record): after the cache breakpoint. */
  volatile?: string;
  messages: LlmMessage[];
  temperature?: number;
  maxTokens?: number;
  /** Material for the offline provider's extractive answer. */
  passages?: KnowledgePassage[];
  /** Digest of the record open in Odoo (also inside `volatile`): the offline provider shows it first. */
  record?: string;
  /** Ask for a JSON-only answer (validation, SII). */
  json?: boolean;
  /** Cancelled when the HTTP client goes away. */
  signal?: AbortSignal;
  /** Shared by every attempt of one request (cost records). Generated when absent. */
  operationId?: string;
}

export interface LlmUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  /** Cache writes with the 5-minute TTL. */
  cache_write_tokens: number;
  cache_write_1h_tokens: number;
}

export interface LlmResult {
  text: string;
  provider: ProviderName;
  model: string;
  usage: LlmUsage;
  /** Sum over every attempt of this request, failed ones included. */
  cost_usd: number;
  latency_ms: number;
  operation_id: string;
  /** Providers that failed before this one answered. */
  fallbacks: ProviderName[];
}

export type LlmStreamEvent = { type: 'delta'; text: string } | { type: 'done'; result: LlmResult };

export const emptyUsage = (): LlmUsage => ({
  input_tokens: 0,
  output_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  cache_write_1h_tokens: 0,
});

export type LlmInterruptionCode =
  'provider_stream_failed' | 'stream_timeout' | 'stream_idle_timeout' | 'client_aborted' | 'shutting_down';

const INTERRUPTION_DETAIL: Record<LlmInterruptionCode, string> = {
  provider_stream_failed: 'El proveedor de IA interrumpió la respuesta antes de terminarla; intente nuevamente.',
  stream_timeout: 'La respuesta del asistente de IA tardó demasiado y se interrumpió; intente nuevamente.',
  stream_idle_timeout: 'El proveedor de IA dejó de enviar la respuesta a mitad de camino; intente nuevamente.',
  client_aborted: 'La solicitud fue cancelada por el cliente.',
  shutting_down: 'El servicio se está reiniciando y tuvo que cortar la respuesta; envíe la pregunta nuevamente.',
};

/**
 * An answer cut short where no other provider could take over: a stream that failed after its
 * first delta (its commit point), or any request whose caller went away (`client_aborted`, from
 * `complete()` too). `code` is what the chat SSE layer sends as `event: error`; `detail` is the
 * Spanish sentence for the user; `partial` says what was produced and billed.
 */
export class LlmInterruptedError extends Error {
  readonly detail: string;

  constructor(
    readonly code: LlmInterruptionCode,
    readonly provider: ProviderName,
    readonly partial: { operation_id: string; cost_usd: number; text_length: number },
    cause?: unknown,
  ) {
    super(`${provider}: ${code}`, { cause });
    this.name = 'LlmInterruptedError';
    this.detail = INTERRUPTION_DETAIL[code];
  }
}
