import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ChatModule } from './chat/chat.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { ClockModule } from './common/clock.module';
import { loggerParams } from './common/logger.config';
import { createRequestValidationPipe } from './common/request-validation.pipe';
import { AppConfig } from './config/app-config';
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
  /** `config` is AppConfigModule.load(env).module: the validated environment (process.env or a test's map). */
  static register(config: DynamicModule): DynamicModule {
    return {
      module: AppModule,
      imports: [
        config,
        LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerParams }),
        ClockModule,
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
        { provide: APP_PIPE, useFactory: createRequestValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
