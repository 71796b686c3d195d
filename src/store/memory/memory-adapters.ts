import { LRUCache } from 'lru-cache';
import type { Clock } from '../../common/clock';
import { CacheManagerResponseCache } from '../response-cache';
import { SESSION_MAX_MESSAGES } from '../session-records.port';
import { StoreAdapters, StoreSettings } from '../store-adapters';
import { ExpiringMaps } from './expiring-map';
import { MemoryBreakerStore } from './memory-breaker-store';
import { MemoryCostLedger } from './memory-cost-ledger';
import { MemorySessionRecords } from './memory-session-records';
import { MemorySiiNews } from './memory-sii-news';
import { MemoryWindowCounters } from './memory-window-counters';

/** Most verdicts the in-process response cache keeps (the least recently used go first). */
export const MEMORY_CACHE_MAX_ENTRIES = 5000;

/** Every store port in process memory (embedded mode: one replica, nothing survives a restart). */
export function createMemoryAdapters(clock: Clock, settings: StoreSettings): StoreAdapters {
  const maps = new ExpiringMaps(clock);
  return {
    sessions: new MemorySessionRecords(maps, settings.sessionTtlSeconds * 1000, SESSION_MAX_MESSAGES),
    counters: new MemoryWindowCounters(maps),
    costLedger: new MemoryCostLedger(maps),
    breakers: new MemoryBreakerStore(maps),
    siiNews: new MemorySiiNews(maps),
    responseCache: memoryResponseCache(),
    health: { ready: () => true, probe: async () => ({ status: 'memory', latency_ms: null }) },
    close: async () => maps.close(),
  };
}

/** cache-manager over Keyv over an LRU of `max` entries (Keyv's own map only drops expired entries when read). */
export function memoryResponseCache(max = MEMORY_CACHE_MAX_ENTRIES): CacheManagerResponseCache {
  return new CacheManagerResponseCache(new LRUCache<string, object | string>({ max }));
}
