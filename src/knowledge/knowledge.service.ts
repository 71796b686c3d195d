import { Injectable } from '@nestjs/common';
import { KnowledgeHit, KnowledgeSearchOptions, KnowledgeStats } from './knowledge.types';

/** STUB until the knowledge module lands (issue 4). Public surface is the contract. */
@Injectable()
export class KnowledgeService {
  isLoaded(): boolean {
    return true;
  }

  stats(): KnowledgeStats {
    return { documents_count: 0, total_tags: 0 };
  }

  search(_query: string, _options: KnowledgeSearchOptions = {}): KnowledgeHit[] {
    return [];
  }
}
