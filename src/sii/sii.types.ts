import type { ProviderName } from '../llm/llm.types';
import type { Urgency } from './news-analysis';

/** How an item's analysis came about. */
export type AnalysisSource = 'llm' | 'offline' | 'llm_error' | 'llm_malformed';

export interface SiiNewsRecord {
  id: string;
  title: string;
  link: string | null;
  date: string | null;
  source_url: string;
  excerpt: string;
  summary: string;
  affected: string[];
  urgency: Urgency;
  action: string;
  analysis: AnalysisSource;
  /** Why there is no AI analysis (Spanish), when there is none. */
  note?: string;
  llm_used: ProviderName;
  cost_usd: number;
  detected_at: string;
}

export interface PageReport {
  url: string;
  ok: boolean;
  items_found: number;
  new_items: number;
  error?: string;
}

export type RunLlmUsed = ProviderName | 'none';

export interface SiiRunResult {
  run_at: string;
  trigger: 'api' | 'schedule';
  pages: PageReport[];
  new_items: SiiNewsRecord[];
  /** New items left for the next run (per-run analysis cap). */
  deferred_items: number;
  llm_used: RunLlmUsed;
  cost_usd: number;
  duration_ms: number;
}

export type SiiRunSummary = Omit<SiiRunResult, 'new_items'> & { new_item_ids: string[] };
