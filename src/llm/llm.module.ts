import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { CostModule } from '../cost/cost.module';
import type { LlmProvider } from './llm-provider.interface';
import { LLM_METRIC_PROVIDERS, LlmMetrics } from './llm.metrics';
import { LlmService } from './llm.service';
import { LLM_PROVIDERS } from './llm.tokens';
import { OfflineProvider } from './providers/offline.provider';
import { AttemptOutcomes } from './routing/attempt-outcomes';
import { ProviderAttempts } from './routing/provider-attempts';
import { ProviderBreakers } from './routing/provider-breakers';

/**
 * The provider chain in routing order; a provider without a key is left out, offline is always last.
 * Each SDK is loaded only when its key is set, so a replica without OpenAI never loads that SDK.
 */
async function buildProviderChain(config: AppConfig): Promise<LlmProvider[]> {
  const chain: LlmProvider[] = [];
  if (config.anthropic.apiKey) {
    const { AnthropicProvider } = await import('./providers/anthropic.provider');
    chain.push(new AnthropicProvider(config));
  }
  if (config.openai.apiKey) {
    const { OpenAiProvider } = await import('./providers/openai.provider');
    chain.push(new OpenAiProvider(config));
  }
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
