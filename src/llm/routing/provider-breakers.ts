import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CLOCK, Clock } from '../../common/clock';
import { logEvent } from '../../common/log-event';
import { AppConfig } from '../../config/app-config';
import { BREAKER_STORE, BreakerStore } from '../../store/breaker-store.port';
import { LlmMetrics } from '../llm.metrics';
import type { ProviderName } from '../llm.types';
import {
  admit,
  BreakerState,
  OpenCircuit,
  opensAfterFailure,
  parseOpenCircuit,
  Permit,
  stateAt,
} from './breaker-state';

const FAILURE_WINDOW_MS = 60_000;
/**
 * How long a closed circuit read from the store is trusted before the next read. Without it every
 * LLM call paid a store round trip; with it a replica learns of a circuit another replica opened
 * within this many ms (the poller below also re-reads at least every second).
 */
export const CLOSED_VIEW_MS = 100;

interface LocalView {
  state: BreakerState;
  failures: number;
  /** The open circuit as last read or written (null = closed). */
  circuit: OpenCircuit | null;
  /** performance.now() of the last read from (or write to) the store. */
  syncedAt: number;
}

/**
 * One circuit breaker per provider, kept in the store's BREAKER_STORE (Redis when configured) so
 * every replica sees a provider another replica found dead: the open circuit, the consecutive
 * failures (expiring) and the single half-open probe. If the store itself is down the breaker lets
 * calls through: it must never be the outage.
 */
@Injectable()
export class ProviderBreakers implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('LlmBreaker');
  private readonly local = new Map<ProviderName, LocalView>();
  private readonly reading = new Map<ProviderName, Promise<BreakerState>>();
  private poller?: NodeJS.Timeout;
  private lastStoreWarning = 0;

  constructor(
    @Inject(BREAKER_STORE) private readonly store: BreakerStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: LlmMetrics,
  ) {}

  onModuleInit() {
    const names: ProviderName[] = [];
    if (this.config.anthropic.apiKey) names.push('anthropic');
    if (this.config.openai.apiKey) names.push('openai');
    for (const p of names) this.remember(p, 'closed', 0);
    // /health reads states synchronously: keep the local view in step with other replicas.
    const every = Math.max(100, Math.min(1000, this.config.llm.breakerHalfOpenMs / 2));
    if (names.length) {
      this.poller = setInterval(() => {
        for (const p of names) this.refresh(p).catch(() => undefined);
      }, every);
      this.poller.unref();
    }
  }

  onModuleDestroy() {
    clearInterval(this.poller);
  }

  /** Last known state (for /health and the gauge). */
  state(p: ProviderName): BreakerState {
    return this.local.get(p)?.state ?? 'closed';
  }

  async acquire(p: ProviderName): Promise<Permit> {
    try {
      const state = this.recentlyClosed(p) ? 'closed' : await this.refresh(p);
      const gotProbe =
        state === 'half_open' && (await this.store.claimProbe(p, String(this.now()), this.probeTtlSeconds()));
      return admit(state, gotProbe);
    } catch (e) {
      this.storeTrouble(e);
      return 'pass';
    }
  }

  async success(p: ProviderName, permit: Permit) {
    const known = this.local.get(p);
    if (permit !== 'probe' && known?.state === 'closed' && !known.failures) return;
    try {
      await this.store.close(p);
      if (known?.state !== 'closed') logEvent(this.logger, 'llm_breaker_closed', { provider: p, via: permit });
      this.remember(p, 'closed', 0, null);
    } catch (e) {
      this.storeTrouble(e);
    }
  }

  async failure(p: ProviderName, permit: Permit) {
    try {
      const value = permit === 'probe' ? 0 : await this.store.countFailure(p, FAILURE_WINDOW_MS);
      if (!opensAfterFailure(permit, value, this.config.llm.breakerThreshold)) {
        this.remember(p, this.state(p), value);
        return;
      }
      const now = this.now();
      // The TTL only cleans up after a provider is removed from config; probes close it long before.
      const ttl = Math.ceil(this.config.llm.breakerHalfOpenMs / 1000) + 3600;
      const circuit = { openedAt: now, until: now + this.config.llm.breakerHalfOpenMs };
      await this.store.open(p, JSON.stringify(circuit), ttl);
      logEvent(
        this.logger,
        'llm_breaker_opened',
        {
          provider: p,
          consecutive_failures: value || undefined,
          after_probe: permit === 'probe',
          half_open_after_ms: this.config.llm.breakerHalfOpenMs,
        },
        'warn',
      );
      this.remember(p, 'open', 0, circuit);
    } catch (e) {
      this.storeTrouble(e);
    }
  }

  /** The attempt ended without telling anything about the provider's health: free the probe. */
  async release(p: ProviderName, permit: Permit) {
    if (permit !== 'probe') return;
    await this.store.releaseProbe(p).catch((e) => this.storeTrouble(e));
  }

  /** True while the last view of the store (read or written within CLOSED_VIEW_MS) says closed. */
  private recentlyClosed(p: ProviderName): boolean {
    const known = this.local.get(p);
    return (
      !!known &&
      known.circuit === null &&
      known.state === 'closed' &&
      performance.now() - known.syncedAt <= CLOSED_VIEW_MS
    );
  }

  /** Reads the shared state (one read at a time per provider); updates the local view and the gauge. */
  private refresh(p: ProviderName): Promise<BreakerState> {
    let pending = this.reading.get(p);
    if (!pending) {
      pending = this.read(p).finally(() => this.reading.delete(p));
      this.reading.set(p, pending);
    }
    return pending;
  }

  private async read(p: ProviderName): Promise<BreakerState> {
    try {
      const circuit = parseOpenCircuit(await this.store.circuit(p));
      const state = stateAt(circuit, this.now());
      this.remember(p, state, this.local.get(p)?.failures ?? 0, circuit);
      return state;
    } catch (e) {
      this.storeTrouble(e);
      throw e;
    }
  }

  /** `circuit` undefined: a local change (failure count) that leaves the last synced view as it was. */
  private remember(p: ProviderName, state: BreakerState, failures: number, circuit?: OpenCircuit | null) {
    const known = this.local.get(p);
    this.local.set(p, {
      state,
      failures,
      circuit: circuit === undefined ? (known?.circuit ?? null) : circuit,
      syncedAt: circuit === undefined ? (known?.syncedAt ?? -Infinity) : performance.now(),
    });
    this.metrics.breaker(p, state);
  }

  /** The probe lock outlives the longest probe, so a crashed replica cannot wedge half-open. */
  private probeTtlSeconds() {
    return Math.ceil(this.config.llm.timeoutMs / 1000) + 1;
  }

  /** Epoch ms on the service clock: circuits are shared with other replicas, so wall-clock time. */
  private now(): number {
    return this.clock.now().getTime();
  }

  private storeTrouble(e: unknown) {
    if (this.now() - this.lastStoreWarning < 10_000) return;
    this.lastStoreWarning = this.now();
    logEvent(this.logger, 'llm_breaker_store_unavailable', { error: (e as Error)?.message }, 'warn');
  }
}
