import { Global, Inject, Logger, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { BREAKER_STORE } from './breaker-store.port';
import { COST_LEDGER_STORE } from './cost-ledger-store.port';
import { createMemoryAdapters } from './memory/memory-adapters';
import { createRedisAdapters } from './redis/redis-adapters';
import { RESPONSE_CACHE } from './response-cache.port';
import { SESSION_RECORDS } from './session-records.port';
import { SII_NEWS_STORE } from './sii-news-store.port';
import { StoreAdapters } from './store-adapters';
import { STORE_HEALTH } from './store-health.port';
import { WINDOW_COUNTERS } from './window-counters.port';

const STORE_ADAPTERS = Symbol('STORE_ADAPTERS');

/** The one place that knows whether Redis is configured: every port comes from the same choice. */
function openStore(config: AppConfig, clock: Clock): StoreAdapters {
  const settings = { sessionTtlSeconds: config.chat.sessionTtlSeconds };
  if (config.redis) return createRedisAdapters(config.redis.url, settings);
  new Logger('Store').log({
    event: 'store_in_memory',
    msg: 'No Redis configured: sessions, costs and caches live in process memory',
  });
  return createMemoryAdapters(clock, settings);
}

const port = (provide: symbol, pick: (adapters: StoreAdapters) => unknown): Provider => ({
  provide,
  inject: [STORE_ADAPTERS],
  useFactory: pick,
});

/** Chooses Redis or memory once, from config; the rest of the code only sees the ports. */
@Global()
@Module({
  providers: [
    { provide: STORE_ADAPTERS, inject: [AppConfig, CLOCK], useFactory: openStore },
    port(SESSION_RECORDS, (a) => a.sessions),
    port(WINDOW_COUNTERS, (a) => a.counters),
    port(COST_LEDGER_STORE, (a) => a.costLedger),
    port(BREAKER_STORE, (a) => a.breakers),
    port(SII_NEWS_STORE, (a) => a.siiNews),
    port(RESPONSE_CACHE, (a) => a.responseCache),
    port(STORE_HEALTH, (a) => a.health),
  ],
  exports: [
    SESSION_RECORDS,
    WINDOW_COUNTERS,
    COST_LEDGER_STORE,
    BREAKER_STORE,
    SII_NEWS_STORE,
    RESPONSE_CACHE,
    STORE_HEALTH,
  ],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(@Inject(STORE_ADAPTERS) private readonly adapters: StoreAdapters) {}

  onApplicationShutdown() {
    return this.adapters.close();
  }
}
