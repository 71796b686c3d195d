import { KeyvAdapter } from 'cache-manager';
import { redisInsStore } from 'cache-manager-redis-yet';
import type { RedisClientType } from 'redis';
import { withTimeout } from '../../common/with-timeout';
import { CacheManagerResponseCache } from '../response-cache';
import { SESSION_MAX_MESSAGES } from '../session-records.port';
import { StoreAdapters, StoreSettings } from '../store-adapters';
import { StoreHealth } from '../store-health.port';
import { RedisBreakerStore } from './redis-breaker-store';
import { createRedisClient } from './redis-client.factory';
import { RedisConnection } from './redis-connection';
import { RedisCostLedger } from './redis-cost-ledger';
import { RedisSessionRecords } from './redis-session-records';
import { RedisSiiNews } from './redis-sii-news';
import { RedisWindowCounters } from './redis-window-counters';

/** Every store port over one node-redis client (connected in the background: start-up never waits for Redis). */
export function createRedisAdapters(url: string, settings: StoreSettings): StoreAdapters {
  return redisAdapters(new RedisConnection(createRedisClient(url)), settings);
}

export function redisAdapters(redis: RedisConnection, settings: StoreSettings): StoreAdapters {
  const health: StoreHealth = {
    ready: () => redis.ready,
    probe: async (timeoutMs) => {
      try {
        return { status: 'up', latency_ms: await withTimeout(redis.ping(), timeoutMs, 'redis ping') };
      } catch {
        return { status: 'down', latency_ms: null };
      }
    },
  };
  return {
    sessions: new RedisSessionRecords(redis, settings.sessionTtlSeconds, SESSION_MAX_MESSAGES),
    counters: new RedisWindowCounters(redis),
    costLedger: new RedisCostLedger(redis),
    breakers: new RedisBreakerStore(redis),
    siiNews: new RedisSiiNews(redis),
    // cache-manager-redis-yet shares the client; its typings know the plain client, not our scripts.
    responseCache: new CacheManagerResponseCache(
      new KeyvAdapter(redisInsStore(redis.client as RedisClientType)),
      () => redis.ready,
    ),
    health,
    close: () => redis.close(),
  };
}
