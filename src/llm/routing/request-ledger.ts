import { Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { logEvent } from '../../common/log-event';
import type { CostEntry, CostRecorder } from '../../cost/cost.port';
import type { LlmProvider } from '../llm-provider.interface';
import type { LlmMetrics } from '../llm.metrics';
import type { LlmRequest, LlmUsage } from '../llm.types';
import { estimatePromptTokens, isEmptyUsage } from '../usage';
import { CostBudget } from './cost-budget';

/** Amounts as Chilean users read them: `US$ 1.234,5678`. */
const USD = new Intl.NumberFormat('es-CL', { minimumFractionDigits: 4, maximumFractionDigits: 4 });
const usdText = (usd: number) => `US$ ${USD.format(usd)}`;

/**
 * The cost side of one request: the worst-case guard and reservation before every paid attempt
 * (retries included), the attempt's settlement once it ends, a record of every attempt that
 * consumed tokens (all under one operation id), and the running total that becomes `cost_usd`.
 */
export class RequestLedger {
  costUsd = 0;
  private readonly budget: CostBudget;
  private readonly logger = new Logger('LlmCost');

  constructor(
    readonly operationId: string,
    private readonly request: LlmRequest,
    private readonly cost: CostRecorder,
    private readonly metrics: LlmMetrics,
    private readonly limitUsd: number,
  ) {
    this.budget = new CostBudget(limitUsd);
  }

  /**
   * Reserves the attempt's worst case, or refuses it (422, before any call) when that worst case
   * does not fit beside what the request's earlier attempts cost or may have cost — alone above
   * the limit included. Returns the USD reserved.
   */
  reserve(provider: LlmProvider): number {
    const promptTokens = estimatePromptTokens(this.request);
    const maxOut = Math.min(this.request.maxTokens ?? provider.maxTokens, provider.maxTokens);
    const usd = this.cost.estimate(provider.model, promptTokens, maxOut);
    const already = this.budget.committedUsd;
    if (this.budget.open(usd)) return usd;
    logEvent(
      this.logger,
      'llm_cost_limit_exceeded',
      {
        operation: this.request.operation,
        operation_id: this.operationId,
        provider: provider.name,
        model: provider.model,
        estimated_usd: round(usd),
        already_usd: round(already),
        limit_usd: this.limitUsd,
        prompt_tokens: promptTokens,
        max_output_tokens: maxOut,
      },
      'warn',
    );
    // Users only ever see the first attempt refused (a later one falls back or answers offline),
    // so the message speaks of this request's estimate alone.
    throw new DomainError(
      ErrorCode.COST_LIMIT_EXCEEDED,
      `El costo estimado de la consulta (${usdText(usd)}) supera el límite de ${usdText(this.limitUsd)} por solicitud; ` +
        'acorte el mensaje o pida al administrador que ajuste MAX_ESTIMATED_COST_PER_REQUEST.',
    );
  }

  /**
   * The attempt reserved last has ended: it is settled at `costUsd`, or at its worst case when what
   * it cost is unknown (null). Settling twice, or with nothing reserved, changes nothing.
   */
  settle(costUsd: number | null) {
    this.budget.settle(costUsd);
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
}

const round = (usd: number) => Math.round(usd * 10_000) / 10_000;
