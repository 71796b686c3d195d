import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { CostModule } from '../cost/cost.module';
import type { LlmProvider } from './llm-provider.interface';
import { LLM_METRIC_PROVIDERS, LlmMetrics } from './llm.metrics';
import { LlmService } from './llm.service';
import { LLM_PROVIDERS } from './llm.tokens';
import { AnthropicProvider } from './providers/anthropic.provider';
import { OfflineProvider } from './providers/offline.provider';
import { OpenAiProvider } from './providers/openai.provider';
import { AttemptOutcomes } from './routing/attempt-outcomes';
import { ProviderAttempts } from './routing/provider-attempts';
import { ProviderBreakers } from './routing/provider-breakers';

/** The provider chain in routing order; a provider without a key is left out, offline is always last. */
export function buildProviderChain(config: AppConfig): LlmProvider[] {
  const chain: LlmProvider[] = [];
  if (config.anthropic.apiKey) chain.push(new AnthropicProvider(config));
  if (config.openai.apiKey) chain.push(new OpenAiProvider(config));
  chain.push(new OfflineProvider());
  return chain;
}

@Module({
  imports: [CostModule],
  providers: [
    { provide: LLM_PROVIDERS, inject: [AppConfig], useFactory: buildProviderChain },
    ...LLM_METRIC_PROVIDERS,
    LlmMetrics,
    ProviderBreakers,
    AttemptOutcomes,
    ProviderAttempts,
    LlmService,
  ],
  exports: [LlmService],
})
export class LlmModule {}
