import type { BreakerStore } from './breaker-store.port';
import type { CostLedgerStore } from './cost-ledger-store.port';
import type { ResponseCache } from './response-cache.port';
import type { SessionRecords } from './session-records.port';
import type { SiiNewsStore } from './sii-news-store.port';
import type { StoreHealth } from './store-health.port';
import type { WindowCounters } from './window-counters.port';

/** One implementation of every store port, all over the same Redis client or the same process. */
export interface StoreAdapters {
  sessions: SessionRecords;
  counters: WindowCounters;
  costLedger: CostLedgerStore;
  breakers: BreakerStore;
  siiNews: SiiNewsStore;
  responseCache: ResponseCache;
  health: StoreHealth;
  /** Lets go of the client or the timers (application shutdown). */
  close(): Promise<void>;
}

export interface StoreSettings {
  /** CHAT_SESSION_TTL. */
  sessionTtlSeconds: number;
}
