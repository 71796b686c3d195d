import type { LlmProvider, ProviderReply, ProviderStreamEvent } from '../llm-provider.interface';
import type { LlmRequest, LlmStreamEvent, LlmUsage, ProviderName } from '../llm.types';
import type { AttemptGuard } from './attempt-guard';
import type { Permit } from './breaker-state';
import type { RequestLedger } from './request-ledger';

/** One request's routing state, shared by all of its attempts. */
export interface RequestRun {
  request: LlmRequest;
  operationId: string;
  ledger: RequestLedger;
  startedAt: number;
  /** Providers that failed before the one that answers. */
  fallbacks: ProviderName[];
}

/** What routing relays to a streaming caller before the final result. */
export type Delta = Extract<LlmStreamEvent, { type: 'delta' }>;

/** A provider stream that has produced its first content delta (the commit point), or ended empty. */
export interface OpenedStream {
  provider: LlmProvider;
  iterator: AsyncIterator<ProviderStreamEvent>;
  guard: AttemptGuard;
  permit: Permit;
  attempt: number;
  first: string | null;
  usage?: LlmUsage;
  model: string;
}

/**
 * A paid provider past its commit point, after which no other provider may answer: the whole
 * reply (complete), or a stream that produced its first content delta.
 */
export type Committed = { reply: ProviderReply } | { stream: OpenedStream };

/** One attempt in flight: who, for which request, under which breaker permit and limits. */
export interface AttemptCtx {
  provider: LlmProvider;
  run: RequestRun;
  permit: Permit;
  guard: AttemptGuard;
  attempt: number;
}
