import { Inject, Injectable, Logger } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { KEY_VALUE_STORE, KeyValueStore } from '../store/store.port';

/**
 * Fixed-window counters in the shared store, so every replica counts against one limit per key.
 * If the store fails, the replica falls back to counting in its own memory rather than refusing
 * or waving everything through.
 */
@Injectable()
export class StoreThrottlerStorage implements ThrottlerStorage {
  private readonly local = new ThrottlerStorageService();
  private readonly logger = new Logger('RateLimit');
  private degraded = false;

  constructor(@Inject(KEY_VALUE_STORE) private readonly store: KeyValueStore) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    if (this.store.kind === 'memory') return this.local.increment(key, ttl, limit, blockDuration, name);
    try {
      const { value, ttlMs } = await this.store.incrBy(`ratelimit:${name}:${key}`, 1, ttl);
      this.degraded = false;
      const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
      const isBlocked = value > limit;
      return { totalHits: value, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
    } catch {
      if (!this.degraded)
        this.logger.warn({ event: 'rate_limit_local_fallback', msg: 'store unavailable: counting locally' });
      this.degraded = true;
      return this.local.increment(key, ttl, limit, blockDuration, name);
    }
  }

  onApplicationShutdown() {
    this.local.onApplicationShutdown();
  }
}
