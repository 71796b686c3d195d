export interface KnowledgeDocument {
  id: string;
  title: string;
  tags: string[];
  module: string;
  content: string;
  /** Path of the Markdown file it came from. */
  file: string;
}

export interface KnowledgeHit {
  id: string;
  title: string;
  content: string;
  tags: string[];
  module: string;
  score: number;
}

export interface KnowledgeSearchOptions {
  topK?: number;
  /** Only documents of this Odoo module (e.g. `l10n_cl_dte`, `hr_payroll`). */
  module?: string | string[];
}

export interface KnowledgeStats {
  documents_count: number;
  total_tags: number;
}
