import { LRUCache } from 'lru-cache';
import MiniSearch, { SearchOptions, SearchResult } from 'minisearch';
import { KnowledgeDocument, KnowledgeHit, KnowledgeSearchOptions, KnowledgeStats } from '../knowledge.types';
import { staleDocuments } from '../loading/review-age';
import { analyzeQueryTerm, analyzeTerm, tokenize } from '../text/spanish-analyzer';
import { DocumentIndex, matchingFor } from './document-index';
import { buildExcerptFrom, Section, splitSections } from './sections';
import { termWeight } from './term-weights';

export const DEFAULT_TOP_K = 3;
export const MAX_TOP_K = 20;
const DEFAULT_CONTENT_CHARS = 2000;

/** Field weights: a title or tag hit says more about what a document is than a body mention. */
const FIELD_BOOST = { title: 3, tags: 2.5, content: 1 } as const;

/** A chat message can be 4000 characters; beyond this many distinct terms a query adds noise, not recall. */
export const MAX_QUERY_TERMS = 32;

/** Answers kept per snapshot: accountants ask the same questions all day, the base changes only on reload. */
export const RESULT_CACHE_SIZE = 500;

export interface KnowledgeIndexOptions {
  /** 0 turns the result cache off (the benchmark measures the engine itself). */
  resultCacheSize?: number;
  /** false always asks for fuzzy matches (a spec shows the results are the same). */
  skipLoneTerms?: boolean;
}

/** Keeps the first occurrence of each distinct term, up to MAX_QUERY_TERMS (long chat messages). */
export function condenseQuery(query: string): string {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const token of tokenize(query)) {
    const term = analyzeTerm(token);
    if (!term || seen.has(term)) continue;
    seen.add(term);
    kept.push(token);
    if (kept.length === MAX_QUERY_TERMS) break;
  }
  return kept.join(' ');
}

const ANALYSIS = { tokenize, processTerm: (term: string) => analyzeTerm(term) ?? undefined };
// MiniSearch accepts several terms per token (here: the seseo variant); it does not mutate them.
const QUERY_ANALYSIS = {
  tokenize,
  processTerm: (term: string) => (analyzeQueryTerm(term) as string[] | null) ?? undefined,
};

/** Index terms searched as they are: no analysis, prefix or fuzzy expansion. */
const EXACT_TERMS = {
  tokenize: (term: string) => [term],
  processTerm: (term: string) => term,
  prefix: false,
  fuzzy: false,
} as const;

interface SectionEntry {
  id: string;
  index: number;
  heading: string;
  text: string;
}

/** A document's sections and a small index of them, to pick the excerpt of a hit too long for its budget. */
interface DocumentSections {
  sections: Section[];
  index: MiniSearch<SectionEntry>;
}

/** `general` (the chat wizard's catch-all hint) means "every module". */
function wantedModules(module: KnowledgeSearchOptions['module']): string[] {
  return [
    ...new Set((Array.isArray(module) ? module : module ? [module] : []).filter((m) => m && m !== 'general')),
  ].sort();
}

/**
 * An immutable search index over one snapshot of the knowledge base: a MiniSearch (BM25+) index
 * of whole documents for ranking, and, built the first time a hit of that document is too long for
 * the caller's budget, one per document of its sections to pick the excerpt. The service swaps
 * whole instances on reload, so a search never sees a half-built one, and the caches die with
 * their snapshot.
 */
export class KnowledgeIndex {
  private readonly docs = new Map<string, KnowledgeDocument>();
  private readonly documentIndex: DocumentIndex;
  /** Options of every document search: term weights and matching tolerance, known once the index is built. */
  private readonly queryOptions: SearchOptions;
  /** Built the first time a hit of the document needs an excerpt, so start-up does not wait for them. */
  private readonly sectionsByDoc = new Map<string, DocumentSections>();
  /** Absent when its size is 0. */
  private readonly resultCache?: LRUCache<string, readonly KnowledgeHit[]>;
  private readonly tagCount: number;
  readonly builtAt = new Date();

  constructor(
    documents: KnowledgeDocument[],
    { resultCacheSize = RESULT_CACHE_SIZE, skipLoneTerms = true }: KnowledgeIndexOptions = {},
  ) {
    for (const d of documents) this.docs.set(d.id, d);
    if (resultCacheSize > 0) this.resultCache = new LRUCache({ max: resultCacheSize });
    this.documentIndex = new DocumentIndex({
      fields: ['title', 'tags', 'content'],
      storeFields: [],
      extractField: (doc, field) => {
        const value = (doc as unknown as Record<string, unknown>)[field];
        return Array.isArray(value) ? value.join(' ') : (value as string);
      },
      ...ANALYSIS,
      searchOptions: { boost: { ...FIELD_BOOST } },
    });
    this.documentIndex.addAll([...this.docs.values()]);
    // How many documents hold each term: a query term found in most of them tells them apart poorly.
    const documentsWith = this.documentIndex.documentFrequencies();
    const documentCount = this.docs.size;
    this.queryOptions = {
      boostTerm: (term: string) => termWeight(term, documentsWith.get(term) ?? 0, documentCount),
      ...matchingFor(this.documentIndex.terms, skipLoneTerms),
      ...QUERY_ANALYSIS,
    };
    this.tagCount = new Set([...this.docs.values()].flatMap((d) => d.tags)).size;
  }

  get size(): number {
    return this.docs.size;
  }

  /** Counts, and the documents not reviewed in the last twelve months as of `now`. */
  stats(now: Date = new Date()): KnowledgeStats {
    const stale = staleDocuments(this.docs.values(), now);
    return {
      documents_count: this.docs.size,
      total_tags: this.tagCount,
      not_reviewed_last_12_months: stale.length,
      stale_documents: stale,
    };
  }

  get(id: string): KnowledgeDocument | undefined {
    return this.docs.get(id);
  }

  documents(): KnowledgeDocument[] {
    return [...this.docs.values()];
  }

  /** Best documents first; an empty list when the query has no searchable term. */
  search(query: string, options: KnowledgeSearchOptions = {}): KnowledgeHit[] {
    const topK = Math.min(Math.max(Math.trunc(options.topK ?? DEFAULT_TOP_K), 1), MAX_TOP_K);
    const budget = options.maxContentChars ?? DEFAULT_CONTENT_CHARS;
    const modules = wantedModules(options.module);
    const condensed = condenseQuery(query);
    if (!condensed) return [];

    if (!this.resultCache) return this.runSearch(condensed, topK, budget, modules);
    const key = `${topK}|${budget}|${modules.join(',')}|${condensed}`;
    let hits = this.resultCache.get(key);
    if (!hits) {
      hits = this.runSearch(condensed, topK, budget, modules);
      this.resultCache.set(key, hits);
    }
    // A copy: callers may reorder or trim their list; the hits themselves are frozen.
    return [...hits];
  }

  private runSearch(condensed: string, topK: number, budget: number, modules: string[]): KnowledgeHit[] {
    const wanted = new Set(modules);
    const options = wanted.size
      ? { ...this.queryOptions, filter: (r: { id: string }) => wanted.has(this.docs.get(r.id)!.module) }
      : this.queryOptions;
    const results = this.documentIndex.search(condensed, options).slice(0, topK);
    return results.map((r) => {
      const doc = this.docs.get(r.id as string)!;
      return Object.freeze({
        id: doc.id,
        title: doc.title,
        content: budget > 0 && doc.content.length > budget ? this.excerpt(doc, r, budget) : doc.content,
        tags: doc.tags,
        module: doc.module,
        sources: doc.sources,
        reviewed: doc.reviewed,
        score: Math.round(r.score * 1000) / 1000,
      });
    });
  }

  /**
   * The lead and the best sections of a document too long for the budget. Its sections are ranked
   * for the index terms the document matched (prefix and fuzzy expansions already resolved), as they are.
   */
  private excerpt(doc: KnowledgeDocument, hit: SearchResult, budget: number): string {
    const { sections, index } = this.sectionsOf(doc);
    const ranked = index.search({ combineWith: 'OR', queries: hit.terms }).map((s) => s.index as number);
    return buildExcerptFrom(doc.content, sections, ranked, budget);
  }

  private sectionsOf(doc: KnowledgeDocument): DocumentSections {
    let built = this.sectionsByDoc.get(doc.id);
    if (!built) {
      const sections = splitSections(doc.content);
      // One small index per document: an excerpt only ranks the sections of its own document.
      const index = new MiniSearch<SectionEntry>({
        fields: ['heading', 'text'],
        storeFields: ['index'],
        ...ANALYSIS,
        searchOptions: { boost: { heading: 2, text: 1 }, ...EXACT_TERMS },
      });
      index.addAll(sections.map((s) => ({ id: `${doc.id}#${s.index}`, ...s })));
      built = { sections, index };
      this.sectionsByDoc.set(doc.id, built);
    }
    return built;
  }
}
