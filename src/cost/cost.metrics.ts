import { makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { CostLedger } from './cost-ledger';

export const LLM_COST_USD_TOTAL = 'llm_cost_usd_total';
const COST_PENDING_CALLS = 'llm_cost_pending_calls';

export const costMetricProviders = [
  /**
   * USD priced by this process; `sum by (operation)` gives the per-operation view docs/api.md describes.
   * The durable totals shared by every replica are in /metrics/costs.
   */
  makeCounterProvider({
    name: LLM_COST_USD_TOTAL,
    help: 'USD cost of LLM calls priced by this process, by operation, provider and model',
    labelNames: ['operation', 'provider', 'model'],
  }),
  makeGaugeProvider({
    name: COST_PENDING_CALLS,
    help: 'LLM calls priced but not yet written to the store (Redis unavailable)',
    collect(this: Gauge) {
      this.set(CostLedger.totalPendingCalls());
    },
  }),
];
