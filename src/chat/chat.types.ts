import type { ProviderName } from '../llm/llm.types';
import type { PassageReference } from './prompt/knowledge-context';

interface TokensUsed {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

/** The answer of POST /api/chat/message, /api/chat and the stream's `done` event. */
export interface ChatAnswer {
  message: string;
  /** Titles of the documents used (the shape Odoo reads). */
  sources: string[];
  /** The same documents with the laws, resolutions and official pages behind them. */
  references: PassageReference[];
  confidence: number;
  session_id: string;
  llm_used: ProviderName;
  tokens_used: TokensUsed;
  plugin: string;
  cost_usd: number;
}

export type ChatStreamEvent = { type: 'delta'; text: string } | { type: 'done'; answer: ChatAnswer };

/** One chat request as the controller hands it over, already validated. */
export interface ChatTurnInput {
  sessionId?: string;
  message: string;
  userContext: Record<string, unknown>;
  /** Only the universal wizard's endpoint may start a session under an id the caller chose. */
  allowCallerNamedSession: boolean;
}
