import { Inject, Injectable, Logger } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { WINDOW_COUNTERS, WindowCounters } from '../store/window-counters.port';

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

  constructor(@Inject(WINDOW_COUNTERS) private readonly counters: WindowCounters) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      const { count, msLeft } = await this.counters.hit(`${name}:${key}`, ttl);
      this.degraded = false;
      const seconds = Math.max(1, Math.ceil(msLeft / 1000));
      const isBlocked = count > limit;
      return { totalHits: count, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
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
