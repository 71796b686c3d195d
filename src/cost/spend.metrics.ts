import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectMetric, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { collectOnScrape, sharedRead } from '../common/collect-on-scrape';
import { AppConfig } from '../config/app-config';
import type { CostPeriod } from './cost-periods';
import type { CostReport } from './cost-report';
import { CostService } from './cost.service';

const SPEND = 'llm_spend_usd';
const SPEND_BY_MODEL = 'llm_spend_by_model_usd';
const SPEND_TOKENS = 'llm_spend_tokens';
const DAILY_BUDGET = 'llm_daily_budget_usd';

/** The durable periods the alerts and the dashboard read (Chilean calendar days, every replica). */
const PERIODS: CostPeriod[] = ['today', 'yesterday', 'this_month'];

export const spendMetricProviders = [
  makeGaugeProvider({
    name: SPEND,
    help: 'USD spent on LLM calls in the period by every replica (the /metrics/costs totals), by operation',
    labelNames: ['period', 'operation'],
  }),
  makeGaugeProvider({
    name: SPEND_BY_MODEL,
    help: 'USD spent on LLM calls in the period by every replica, by model',
    labelNames: ['period', 'model'],
  }),
  makeGaugeProvider({
    name: SPEND_TOKENS,
    help: 'Tokens of the LLM calls of the period by every replica, by operation and type',
    labelNames: ['period', 'operation', 'type'],
  }),
  makeGaugeProvider({
    name: DAILY_BUDGET,
    help: 'LLM_DAILY_BUDGET_USD: the daily LLM spend the alerts compare llm_spend_usd{period="today"} with (0: none)',
  }),
];

/**
 * /metrics/costs as gauges, read from the store at scrape time. Unlike the per-process counter
 * llm_cost_usd_total they survive restarts, are the same on every replica (alert on max, not sum)
 * and follow the accountants' calendar day. Absent while Redis is down.
 */
@Injectable()
export class SpendMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly releases: Array<() => void> = [];

  constructor(
    private readonly costs: CostService,
    private readonly config: AppConfig,
    @InjectMetric(SPEND) private readonly spend: Gauge<string>,
    @InjectMetric(SPEND_BY_MODEL) private readonly byModel: Gauge<string>,
    @InjectMetric(SPEND_TOKENS) private readonly tokens: Gauge<string>,
    @InjectMetric(DAILY_BUDGET) private readonly budget: Gauge<string>,
  ) {}

  onModuleInit() {
    this.budget.set(this.config.llm.dailyBudgetUsd);
    const reports = sharedRead(() => Promise.all(PERIODS.map((p) => this.costs.report(p))));
    for (const gauge of [this.spend, this.byModel, this.tokens]) {
      this.releases.push(collectOnScrape(gauge, async () => this.fill(await reports())));
    }
  }

  onModuleDestroy() {
    for (const release of this.releases) release();
  }

  private fill(reports: CostReport[]) {
    this.spend.reset();
    this.byModel.reset();
    this.tokens.reset();
    for (const r of reports) {
      for (const [operation, b] of Object.entries(r.by_operation)) {
        this.spend.set({ period: r.period, operation }, b.cost_usd);
        this.tokens.set({ period: r.period, operation, type: 'input' }, b.input_tokens);
        this.tokens.set({ period: r.period, operation, type: 'output' }, b.output_tokens);
        this.tokens.set({ period: r.period, operation, type: 'cache_read' }, b.cache_read_tokens);
        this.tokens.set({ period: r.period, operation, type: 'cache_write' }, b.cache_write_tokens);
      }
      for (const [model, b] of Object.entries(r.by_model)) this.byModel.set({ period: r.period, model }, b.cost_usd);
    }
  }
}
