import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { LlmModule } from '../llm/llm.module';
import { HealthController } from './health.controller';
import { HealthMetrics, healthMetricProviders } from './health.metrics';
import { HealthService } from './health.service';
import { KnowledgeHealthIndicator } from './indicators/knowledge.health';
import { LlmHealthIndicator } from './indicators/llm.health';
import { RedisHealthIndicator } from './indicators/redis.health';
import { ShutdownHealthIndicator } from './indicators/shutdown.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), KnowledgeModule, LlmModule],
  controllers: [HealthController],
  providers: [
    HealthService,
    RedisHealthIndicator,
    KnowledgeHealthIndicator,
    LlmHealthIndicator,
    ShutdownHealthIndicator,
    ...healthMetricProviders,
    HealthMetrics,
  ],
})
export class HealthModule {}
