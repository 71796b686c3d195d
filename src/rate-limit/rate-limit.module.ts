import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { ApiKeyThrottlerGuard } from './api-key-throttler.guard';
import { RateBudget } from './rate-budget.service';
import { StoreThrottlerStorage } from './store-throttler.storage';

/**
 * The per-key rate limit (429 + Retry-After). The key itself is checked earlier, before the body is
 * read (common/api-key.hook.ts), so a wrong key is a 401 and never counts.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute }],
      }),
    }),
  ],
  providers: [
    StoreThrottlerStorage,
    RateBudget,
    { provide: ThrottlerStorage, useExisting: StoreThrottlerStorage },
    { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
  ],
  exports: [RateBudget],
})
export class RateLimitModule {}
