export interface KnowledgeDocument {
  id: string;
  title: string;
  tags: string[];
  module: string;
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
