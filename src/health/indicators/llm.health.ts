import { Injectable } from '@nestjs/common';
import { LlmService } from '../../llm/llm.service';

/** Reports each provider's configuration and breaker; informative only, never fails readiness. */
@Injectable()
export class LlmHealthIndicator {
  constructor(private readonly llm: LlmService) {}

  states() {
    return this.llm.providerStates();
  }
}
