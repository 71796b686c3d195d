import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { KnowledgeService } from '../../knowledge/knowledge.service';

@Injectable()
export class KnowledgeHealthIndicator {
  constructor(
    private readonly knowledge: KnowledgeService,
    private readonly indicator: HealthIndicatorService,
  ) {}

  check(key = 'knowledge_base') {
    const session = this.indicator.check(key);
    return this.knowledge.isLoaded()
      ? session.up({ documents: this.knowledge.stats().documents_count })
      : session.down({ message: 'knowledge base not loaded' });
  }
}
