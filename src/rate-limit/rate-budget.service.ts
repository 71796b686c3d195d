import { Injectable } from '@nestjs/common';
import { StoreThrottlerStorage } from './store-throttler.storage';

/**
 * A per-minute budget a service checks itself, for routes that must not answer 429 (DTE validation:
 * Odoo reads any non-200 as "valid"). Same shared counters and local fallback as the rate limit,
 * under its own name, so it never spends or is spent by the RATE_LIMIT_PER_MINUTE budget.
 */
@Injectable()
export class RateBudget {
  constructor(private readonly storage: StoreThrottlerStorage) {}

  /** Counts one use by `tracker`; false once it is over `perMinute` in the current minute. Never throws. */
  async take(name: string, tracker: string, perMinute: number): Promise<boolean> {
    const record = await this.storage.increment(tracker, 60_000, perMinute, 0, name);
    return record.totalHits <= perMinute;
  }
}
