export interface KnowledgeDocument {
  id: string;
  title: string;
  tags: string[];
  module: string;
  /**
   * Where each rule of the document comes from (law, resolution, circular, official page), as
   * the front matter lists them; shown to the accountant with every answer that uses the document.
   */
  sources: string[];
  /** Day (YYYY-MM-DD) someone last checked the document against those sources. */
  reviewed: string;
  /** Markdown body, front matter removed. */
  content: string;
  /** Path of the Markdown file it came from, relative to the knowledge-base folder. */
  file: string;
}

export interface KnowledgeHit {
  id: string;
  title: string;
  /**
   * What a chat prompt needs: the whole body when it is short, otherwise the document's lead
   * paragraph plus its sections that best match the query (see `excerpt.ts`).
   */
  content: string;
  tags: string[];
  module: string;
  sources: string[];
  reviewed: string;
  /** BM25 score from the search engine (higher is better; comparable only within one query). */
  score: number;
}

export interface KnowledgeSearchOptions {
  topK?: number;
  /** Only documents of this Odoo module (e.g. `l10n_cl_dte`, `hr_payroll`); `general` means every module. */
  module?: string | string[];
  /** Character budget for each hit's `content`; 0 returns whole documents. */
  maxContentChars?: number;
}

export interface KnowledgeStats {
  documents_count: number;
  total_tags: number;
  /** Documents whose `reviewed` date is more than REVIEW_MAX_AGE_MONTHS old: their facts may be out of date. */
  not_reviewed_last_12_months: number;
  /** Their ids, oldest review first, so an operator knows which files to check. */
  stale_documents: string[];
}

/** A document that was not loaded, and why (the field at fault is named for the operator). */
export interface SkippedDocument {
  file: string;
  field: string;
  reason: string;
}

export interface KnowledgeReloadResult extends KnowledgeStats {
  loaded: boolean;
  skipped: SkippedDocument[];
  duration_ms: number;
}
