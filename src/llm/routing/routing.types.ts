import type { LlmProvider, ProviderStreamEvent } from '../llm-provider.interface';
import type { LlmRequest, LlmUsage, ProviderName } from '../llm.types';
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

/** One attempt in flight: who, for which request, under which breaker permit and limits. */
export interface AttemptCtx {
  provider: LlmProvider;
  run: RequestRun;
  permit: Permit;
  guard: AttemptGuard;
  attempt: number;
}
