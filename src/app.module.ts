import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ChatModule } from './chat/chat.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { ClockModule } from './common/clock.module';
import { loggerParams } from './common/logger.config';
import { createValidationPipe } from './common/validation.pipe';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { CostModule } from './cost/cost.module';
import { HealthModule } from './health/health.module';
import { KnowledgeModule } from './knowledge/knowledge.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LlmModule } from './llm/llm.module';
import { MetricsModule } from './metrics/metrics.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { SiiModule } from './sii/sii.module';
import { StoreModule } from './store/store.module';
import { ValidationModule } from './validation/validation.module';

@Module({})
export class AppModule {
  /** `env` is explicit (process.env in production, a fixed map in tests). */
  static register(env: Record<string, string | undefined>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(env),
        ClockModule,
        LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerParams }),
        LifecycleModule,
        StoreModule,
        MetricsModule,
        RateLimitModule,
        HealthModule,
        KnowledgeModule,
        LlmModule,
        CostModule,
        ChatModule,
        ValidationModule,
        SiiModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
