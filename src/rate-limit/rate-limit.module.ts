import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { ApiKeyGuard } from '../common/api-key.guard';
import { AppConfig } from '../config/app-config';
import { ApiKeyThrottlerGuard } from './api-key-throttler.guard';
import { RateBudget } from './rate-budget';
import { StoreThrottlerStorage } from './store-throttler.storage';

/** Auth first (a wrong key is a 401 and does not count), then the per-key rate limit (429 + Retry-After). */
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
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
  ],
  exports: [RateBudget],
})
export class RateLimitModule {}
