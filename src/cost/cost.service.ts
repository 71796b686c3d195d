import { Injectable } from '@nestjs/common';
import type { LlmUsage } from '../llm/llm.types';
import { CostEntry, CostRecorder } from './cost.port';
import { costOf, findPrice, worstCaseCost } from './pricing';

/** STUB until the cost issue lands: prices calls but stores nothing and never refuses. */
@Injectable()
export class CostService extends CostRecorder {
  price(model: string, usage: LlmUsage) {
    return costOf(usage, findPrice(model).price);
  }

  estimate(model: string, promptTokens: number, maxOutputTokens: number) {
    return worstCaseCost(promptTokens, maxOutputTokens, findPrice(model).price);
  }

  async reserve(_operationId: string, _usd: number) {}

  async record(entry: CostEntry) {
    return this.price(entry.model, entry.usage);
  }

  async settle(_operationId: string) {}
}
