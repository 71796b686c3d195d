import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { LRUCache } from 'lru-cache';
import type { Counter } from 'prom-client';
import { chileDay } from '../common/chile-time';
import { CLOCK, Clock } from '../common/clock';
import { logEvent } from '../common/log-event';
import { AppConfig } from '../config/app-config';
import { Lifecycle } from '../lifecycle/lifecycle.service';
import type { LlmUsage } from '../llm/llm.types';
import { COST_LEDGER_STORE, CostLedgerStore } from '../store/cost-ledger-store.port';
import { incrementsFor, safeName, sumDays, toNano } from './cost-ledger.format';
import { CostLedger } from './cost-ledger';
import { LLM_COST_USD_TOTAL } from './cost.metrics';
import { isDay, periodRange, CostPeriod, daysBetween } from './cost-periods';
import { CostEntry, CostRecorder } from './cost.port';
import { buildReport, CostReport } from './cost-report';
import { cleanUsage, costOf, findPrice, mergePricingChecked, ModelPrice, worstCaseCost } from './pricing';

/** How long record() waits for its write before returning (the write goes on in the background). */
const RECORD_WAIT_MS = 2000;
/** Pause between final flush attempts while Redis does not take the writes. */
const FINAL_FLUSH_RETRY_MS = 100;
/** all_time reads at most this many days (400 days of TTL keep far fewer). */
const MAX_DAYS = 1000;
const READ_CHUNK = 50;
/** Unknown models warned about lately: each is logged once while it stays among these. */
const MAX_WARNED_MODELS = 200;

/**
 * Prices every LLM attempt (and estimates its worst case for the per-request limit, which the LLM
 * router enforces per request), adds it to day counters in the store (see cost-ledger.format.ts
 * for the key layout) and answers /metrics/costs.
 */
@Injectable()
export class CostService extends CostRecorder implements BeforeApplicationShutdown {
  private readonly logger = new Logger('CostService');
  private readonly pricing: Record<string, ModelPrice>;
  private readonly ledger: CostLedger;
  private readonly warnedModels = new LRUCache<string, true>({ max: MAX_WARNED_MODELS });

  constructor(
    @Inject(COST_LEDGER_STORE) private readonly store: CostLedgerStore,
    config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectMetric(LLM_COST_USD_TOTAL) private readonly costCounter: Counter<string>,
    private readonly lifecycle: Lifecycle,
  ) {
    super();
    const { table, rejected } = mergePricingChecked(config.llm.pricingOverrides);
    this.pricing = table;
    for (const r of rejected) logEvent(this.logger, 'cost_pricing_override_ignored', r, 'warn');
    this.ledger = new CostLedger(store, {
      deferred: (pending, error) =>
        logEvent(this.logger, 'cost_record_deferred', { pending_calls: pending, error: describe(error) }, 'warn'),
      recovered: (flushed) => logEvent(this.logger, 'cost_pending_flushed', { flushed_calls: flushed }),
    });
  }

  price(model: string, usage: LlmUsage): number {
    return costOf(cleanUsage(usage), this.priceOf(model));
  }

  estimate(model: string, promptTokens: number, maxOutputTokens: number): number {
    return worstCaseCost(promptTokens, maxOutputTokens, this.priceOf(model));
  }

  async record(entry: CostEntry): Promise<number> {
    let usd = 0;
    try {
      const usage = cleanUsage(entry.usage);
      usd = costOf(usage, this.priceOf(entry.model));
      const model = safeName(entry.model);
      this.costCounter.inc({ operation: entry.operation, provider: entry.provider, model }, usd);
      const day = chileDay(this.clock.now());
      const increments = incrementsFor({ ...entry, model, usage, costNano: toNano(usd) });
      await this.withinMs(this.ledger.add(day, increments), RECORD_WAIT_MS);
    } catch (e) {
      logEvent(this.logger, 'cost_record_failed', { operation: entry?.operation, error: describe(e) }, 'error');
    }
    return usd;
  }

  /** Calls priced but not yet confirmed in the store (Redis down). */
  pendingCalls(): number {
    return this.ledger.pendingCalls();
  }

  /** Writes what is pending now (also retried in the background); true when nothing is left. */
  flushPending(): Promise<boolean> {
    return this.ledger.flush();
  }

  /** Sums the day counters of a period. Throws StoreUnavailableError (→ 503) while Redis is down. */
  async report(period: CostPeriod): Promise<CostReport> {
    // What this replica still holds goes in first, so a report right after an outage includes it.
    if (this.ledger.pendingCalls()) await this.withinMs(this.ledger.flush(), RECORD_WAIT_MS);
    const today = chileDay(this.clock.now());
    let { from, to } = periodRange(period, today);
    let days = daysBetween(from, to);
    if (period === 'all_time') {
      days = (await this.store.days(MAX_DAYS)).filter(isDay).sort();
      if (days.length) [from, to] = [days[0], days[days.length - 1] > today ? days[days.length - 1] : today];
    }
    const hashes: Record<string, number>[] = [];
    for (let i = 0; i < days.length; i += READ_CHUNK) {
      hashes.push(...(await Promise.all(days.slice(i, i + READ_CHUNK).map((d) => this.store.read(d)))));
    }
    return buildReport(period, from, to, sumDays(hashes));
  }

  /**
   * Last chance for pending costs: runs once the HTTP drain is over (shutdown.ts) and before the
   * store module closes its client, retrying until the shutdown's final-writes deadline (one
   * attempt of RECORD_WAIT_MS when the application is closed outside a shutdown).
   */
  async beforeApplicationShutdown() {
    const planned = this.lifecycle.finalWritesBy;
    const by = Number.isFinite(planned) ? planned : performance.now() + RECORD_WAIT_MS;
    while (this.ledger.pendingCalls() && performance.now() < by) {
      const flushed = await this.withinMs(this.ledger.flush(), Math.max(1, by - performance.now()));
      if (!flushed) await sleep(Math.min(FINAL_FLUSH_RETRY_MS, Math.max(0, by - performance.now())));
    }
    if (this.ledger.pendingCalls())
      logEvent(this.logger, 'cost_pending_lost_on_shutdown', { pending_calls: this.ledger.pendingCalls() }, 'error');
    else logEvent(this.logger, 'cost_ledger_flushed_on_shutdown', {});
    this.ledger.close();
  }

  /** The promise's value, or undefined once `ms` have passed (the work goes on in the background). */
  private async withinMs<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }

  private priceOf(model: string): ModelPrice {
    const { price, known } = findPrice(model, this.pricing);
    if (!known && !this.warnedModels.has(model)) {
      this.warnedModels.set(model, true);
      logEvent(
        this.logger,
        'cost_unknown_model',
        { model: safeName(model), priced_as_usd_per_mtok: { input: price.input, output: price.output } },
        'warn',
      );
    }
    return price;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));
