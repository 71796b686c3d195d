import { Injectable } from '@nestjs/common';
import { LlmService } from '../../llm/llm.service';

/**
 * Each provider's configuration and breaker, for the /health body. Informative only: a provider
 * down makes the service "degraded", never unready, so it is no Terminus check of readiness.
 */
@Injectable()
export class LlmHealthIndicator {
  constructor(private readonly llm: LlmService) {}

  states() {
    return this.llm.providerStates();
  }
}
