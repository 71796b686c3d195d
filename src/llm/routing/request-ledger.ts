import { Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { logEvent } from '../../common/log-event';
import type { CostEntry, CostRecorder } from '../../cost/cost.port';
import type { LlmProvider } from '../llm-provider.interface';
import type { LlmMetrics } from '../llm.metrics';
import type { LlmRequest, LlmUsage } from '../llm.types';
import { estimatePromptTokens, isEmptyUsage } from '../usage';

/**
 * The cost side of one request: the worst-case guard and reservation before every paid attempt,
 * a record of every attempt that consumed tokens (all under one operation id), the running total
 * that becomes `cost_usd`, and the settlement at the end.
 */
export class RequestLedger {
  costUsd = 0;
  private readonly reserved = new Set<string>();
  private readonly logger = new Logger('LlmCost');

  constructor(
    readonly operationId: string,
    private readonly request: LlmRequest,
    private readonly cost: CostRecorder,
    private readonly metrics: LlmMetrics,
    private readonly limitUsd: number,
  ) {}

  /**
   * Refuses (422) an attempt whose worst case is above the per-request limit, before any call;
   * otherwise reserves it, once per provider (a retry repeats a call that cost nothing). A
   * refused reservation is a 422 too: the limit is spent.
   */
  async reserve(provider: LlmProvider): Promise<number> {
    if (this.reserved.has(provider.name)) return 0;
    const promptTokens = estimatePromptTokens(this.request);
    const maxOut = Math.min(this.request.maxTokens ?? provider.maxTokens, provider.maxTokens);
    const usd = this.cost.estimate(provider.model, promptTokens, maxOut);
    if (usd > this.limitUsd) {
      logEvent(
        this.logger,
        'llm_cost_limit_exceeded',
        {
          operation: this.request.operation,
          operation_id: this.operationId,
          provider: provider.name,
          model: provider.model,
          estimated_usd: round(usd),
          limit_usd: this.limitUsd,
          prompt_tokens: promptTokens,
          max_output_tokens: maxOut,
        },
        'warn',
      );
      throw new DomainError(
        ErrorCode.COST_LIMIT_EXCEEDED,
        `La consulta se estimó en US$ ${round(usd)}, sobre el límite de US$ ${this.limitUsd} por solicitud; acorte el mensaje o el contexto e intente nuevamente.`,
      );
    }
    await this.cost.reserve(this.operationId, usd);
    this.reserved.add(provider.name);
    return usd;
  }

  /** Records one attempt that consumed tokens; attempts that report none cost nothing. */
  async record(provider: LlmProvider, model: string, usage: LlmUsage, outcome: CostEntry['outcome']): Promise<number> {
    if (!provider.paid || isEmptyUsage(usage)) return 0;
    this.metrics.tokens(provider.name, usage);
    let usd = 0;
    try {
      usd = await this.cost.record({
        operation: this.request.operation,
        operationId: this.operationId,
        provider: provider.name as 'anthropic' | 'openai',
        model,
        usage,
        outcome,
        at: new Date(),
      });
    } catch (e) {
      // The port promises never to throw; if it does, the answer still goes out, priced locally.
      usd = this.cost.price(model, usage);
      logEvent(
        this.logger,
        'llm_cost_record_failed',
        { operation_id: this.operationId, error: (e as Error)?.message },
        'warn',
      );
    }
    this.costUsd = Math.round((this.costUsd + usd) * 1e8) / 1e8;
    return usd;
  }

  async settle() {
    await this.cost.settle(this.operationId).catch(() => undefined);
  }
}

const round = (usd: number) => Math.round(usd * 10_000) / 10_000;
