import { Module } from '@nestjs/common';
import { LlmModule } from '../llm/llm.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { ValidationController } from './validation.controller';
import { validationMetricProviders } from './validation.metrics';
import { ValidationService } from './validation.service';

/** POST /api/ai/validate: deterministic DTE rules, then an LLM review, behind the response cache. */
@Module({
  imports: [LlmModule, RateLimitModule],
  controllers: [ValidationController],
  providers: [ValidationService, ...validationMetricProviders],
})
export class ValidationModule {}
