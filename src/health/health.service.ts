import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { KnowledgeService } from '../knowledge/knowledge.service';
import { LlmHealthIndicator } from './indicators/llm.health';
import { RedisHealthIndicator } from './indicators/redis.health';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string };

const SERVICE_NAME = 'AI Microservice - DTE Intelligence';

/** The seed's /health body: unhealthy exactly when not ready; degraded when no LLM can answer. */
@Injectable()
export class HealthService {
  private readonly startedAt = performance.now();

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisHealthIndicator,
    private readonly llm: LlmHealthIndicator,
    private readonly knowledge: KnowledgeService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async report() {
    const redis = await this.redis.status();
    const llm = this.llm.states();
    const kbLoaded = this.knowledge.isLoaded();
    const ready = redis.status !== 'down' && kbLoaded;
    const llmAvailable = Object.values(llm).some((s) => s === 'configured');
    const status = !ready ? 'unhealthy' : llmAvailable ? 'healthy' : 'degraded';
    return {
      status,
      service: SERVICE_NAME,
      version,
      timestamp: this.clock.now().toISOString(),
      uptime_seconds: Math.round((performance.now() - this.startedAt) / 1000),
      checks: {
        anthropic_configured: !!this.config.anthropic.apiKey,
        openai_configured: !!this.config.openai.apiKey,
        redis_connected: redis.status === 'up',
        knowledge_base_loaded: kbLoaded,
      },
      dependencies: {
        redis,
        anthropic: { status: llm.anthropic, model: this.config.anthropic.model },
        openai: { status: llm.openai, model: this.config.openai.model },
      },
      stats: this.knowledge.stats(),
    };
  }
}
