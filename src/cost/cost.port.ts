import type { LlmOperation, LlmUsage } from '../llm/llm.types';

export interface CostEntry {
  operation: LlmOperation;
  /** Shared by every attempt of one request (fallbacks, retries). */
  operationId: string;
  provider: 'anthropic' | 'openai';
  model: string;
  usage: LlmUsage;
  /** success, error (a failed attempt that reported usage) or aborted (a stream cut short). */
  outcome: 'success' | 'error' | 'aborted';
}

/**
 * What the LLM layer needs from cost tracking. Implemented by CostService (src/cost); the LLM
 * module depends on this abstract class (DI token), never on the implementation.
 */
export abstract class CostRecorder {
  /** Pure pricing of one call's usage in USD. */
  abstract price(model: string, usage: LlmUsage): number;
  /** Worst-case USD of a call before it is made (prompt tokens + max output). */
  abstract estimate(model: string, promptTokens: number, maxOutputTokens: number): number;
  /** Records one attempt's real cost (counters by day/operation/model/provider); returns its USD. Never throws. */
  abstract record(entry: CostEntry): Promise<number>;
}
