import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { LlmService } from '../../llm/llm.service';

/** Reports each provider's configuration and breaker; informative only, never fails readiness. */
@Injectable()
export class LlmHealthIndicator {
  constructor(
    private readonly llm: LlmService,
    private readonly indicator: HealthIndicatorService,
  ) {}

  states() {
    return this.llm.providerStates();
  }

  check(key = 'llm') {
    return this.indicator.check(key).up(this.states());
  }
}
