import { LRUCache } from 'lru-cache';
import MiniSearch, { SearchOptions, SearchResult } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import { KnowledgeDocument, KnowledgeHit, KnowledgeSearchOptions, KnowledgeStats } from '../knowledge.types';
import { staleDocuments } from '../loading/review-age';
import { analyze, analyzeQueryTerm, analyzeTerm, tokenize } from '../text/spanish-analyzer';
import { buildExcerptFrom, Section, splitSections } from './sections';
import { termWeight } from './term-weights';

export const DEFAULT_TOP_K = 3;
export const MAX_TOP_K = 20;
export const DEFAULT_CONTENT_CHARS = 2000;

/** Field weights: a title or tag hit says more about what a document is than a body mention. */
export const FIELD_BOOST = { title: 3, tags: 2.5, content: 1 } as const;

/** A chat message can be 4000 characters; beyond this many distinct terms a query adds noise, not recall. */
export const MAX_QUERY_TERMS = 32;

/** Answers kept per snapshot: accountants ask the same questions all day, the base changes only on reload. */
export const RESULT_CACHE_SIZE = 500;

/** Unknown words whose "has a near neighbour?" answer is kept per snapshot (least recently used go first). */
export const NEIGHBOUR_MEMO_SIZE = 20_000;
const FUZZY_FRACTION = 0.25;
const MAX_FUZZY = 2;

/**
 * Matching tolerance, applied to analysed (stemmed) query terms. Prefix: a stem of 4+ letters
 * also matches longer stems ("export" → "exportador"). Fuzzy (one edit per 4 letters, at most
 * two) only for terms the base does not contain, i.e. likely typos ("factrua", "credto",
 * "certifcado"): a correctly spelled word gains nothing from it. Numbers always match exactly,
 * so "33" never drifts to "34". A fuzzy lookup is most of a search's time, and most unknown
 * words of a chat message ("hola", "necesito") have no near neighbour outside their own prefix
 * matches: whether a term has one is looked up once per snapshot, and fuzzy matching is only
 * asked for terms that do (which leaves every score as it was).
 */
export function matchingFor(
  vocabulary: Iterable<string>,
  skipLoneTerms = true,
): Pick<SearchOptions, 'prefix' | 'fuzzy' | 'maxFuzzy' | 'weights'> {
  const isWord = (term: string) => term.length >= 4 && !/\d/.test(term);
  // One radix tree answers both "is this a known term?" and "has it a near neighbour?".
  const terms = new SearchableMap<true>();
  for (const term of vocabulary) terms.set(term, true);
  const neighbours = new LRUCache<string, boolean>({ max: NEIGHBOUR_MEMO_SIZE });
  const hasFuzzyNeighbour = (term: string): boolean => {
    if (!skipLoneTerms) return true;
    let known = neighbours.get(term);
    if (known === undefined) {
      const maxDistance = Math.min(MAX_FUZZY, Math.round(term.length * FUZZY_FRACTION));
      known = [...terms.fuzzyGet(term, maxDistance).keys()].some((t) => !t.startsWith(term));
      neighbours.set(term, known);
    }
    return known;
  };
  return {
    prefix: isWord,
    fuzzy: (term: string) => (isWord(term) && !terms.has(term) && hasFuzzyNeighbour(term) ? FUZZY_FRACTION : false),
    maxFuzzy: MAX_FUZZY,
    weights: { fuzzy: 0.4, prefix: 0.5 },
  };
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

/** `general` (the chat wizard's catch-all hint) means "every module". */
function wantedModules(module: KnowledgeSearchOptions['module']): string[] {
  return [
    ...new Set((Array.isArray(module) ? module : module ? [module] : []).filter((m) => m && m !== 'general')),
  ].sort();
}

/**
 * An immutable, fully built search index over one snapshot of the knowledge base: a MiniSearch
 * (BM25+) index of whole documents for ranking, and one per document of its sections to pick the
 * excerpt of a hit too long for the caller's budget. The service swaps whole instances on reload, so a
 * search never sees a half-built one, and the result cache dies with its snapshot.
 */
export class KnowledgeIndex {
  private readonly docs = new Map<string, KnowledgeDocument>();
  private readonly documentIndex: MiniSearch<KnowledgeDocument>;
  private readonly sectionIndexes = new Map<string, MiniSearch<SectionEntry>>();
  /** Each document's sections, split once here rather than on every search. */
  private readonly sectionsByDoc = new Map<string, Section[]>();
  /** Absent when `resultCacheSize` is 0. */
  private readonly resultCache?: LRUCache<string, readonly KnowledgeHit[]>;
  private readonly tagCount: number;
  readonly builtAt = new Date();

  /**
   * `resultCacheSize` 0 turns the result cache off (the benchmark measures the engine itself);
   * `skipLoneTerms` false always asks for fuzzy matches (a spec shows the results are the same).
   */
  constructor(documents: KnowledgeDocument[], resultCacheSize = RESULT_CACHE_SIZE, skipLoneTerms = true) {
    for (const d of documents) this.docs.set(d.id, d);
    if (resultCacheSize > 0) this.resultCache = new LRUCache({ max: resultCacheSize });
    // Each document's distinct terms: the vocabulary for fuzzy matching, and how many documents
    // hold each term (a query term found in most documents tells them apart poorly).
    const documentTerms = [...this.docs.values()].map(
      (d) => new Set(analyze(`${d.title} ${d.tags.join(' ')} ${d.content}`)),
    );
    const documentsWith = new Map<string, number>();
    for (const terms of documentTerms) for (const t of terms) documentsWith.set(t, (documentsWith.get(t) ?? 0) + 1);
    const matching = matchingFor(documentsWith.keys(), skipLoneTerms);
    const documentCount = this.docs.size;
    const boostTerm = (term: string) => termWeight(term, documentsWith.get(term) ?? 0, documentCount);
    this.documentIndex = new MiniSearch<KnowledgeDocument>({
      fields: ['title', 'tags', 'content'],
      storeFields: [],
      extractField: (doc, field) => {
        const value = (doc as unknown as Record<string, unknown>)[field];
        return Array.isArray(value) ? value.join(' ') : (value as string);
      },
      ...ANALYSIS,
      searchOptions: { boost: { ...FIELD_BOOST }, boostTerm, ...matching, ...QUERY_ANALYSIS },
    });
    this.documentIndex.addAll([...this.docs.values()]);

    for (const d of this.docs.values()) {
      const sections = splitSections(d.content);
      this.sectionsByDoc.set(d.id, sections);
      // One small index per document: an excerpt only ranks the sections of its own document.
      const index = new MiniSearch<SectionEntry>({
        fields: ['heading', 'text'],
        storeFields: ['index'],
        ...ANALYSIS,
        searchOptions: { boost: { heading: 2, text: 1 }, ...EXACT_TERMS },
      });
      index.addAll(
        sections.map((s) => ({ id: `${d.id}#${s.index}`, index: s.index, heading: s.heading, text: s.text })),
      );
      this.sectionIndexes.set(d.id, index);
    }
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
    const filter = wanted.size ? (r: { id: string }) => wanted.has(this.docs.get(r.id)!.module) : undefined;
    const results = this.documentIndex.search(condensed, { filter }).slice(0, topK);
    if (!results.length) return [];

    // Sections are ranked only for documents that must be cut to fit the budget.
    const tooLong = results.filter((r) => budget > 0 && this.docs.get(r.id as string)!.content.length > budget);
    const ranked = tooLong.length ? this.rankSections(tooLong) : new Map<string, number[]>();
    return results.map((r) => {
      const doc = this.docs.get(r.id as string)!;
      return Object.freeze({
        id: doc.id,
        title: doc.title,
        content: buildExcerptFrom(doc.content, this.sectionsByDoc.get(doc.id)!, ranked.get(doc.id) ?? [], budget),
        tags: doc.tags,
        module: doc.module,
        sources: doc.sources,
        reviewed: doc.reviewed,
        score: Math.round(r.score * 1000) / 1000,
      });
    });
  }

  /**
   * Section indexes per document, best match first. A document's sections are searched for the
   * index terms that document matched (prefix and fuzzy expansions already resolved), as they are.
   */
  private rankSections(hits: SearchResult[]): Map<string, number[]> {
    const ranked = new Map<string, number[]>();
    for (const hit of hits) {
      const sections = this.sectionIndexes.get(hit.id as string)!.search({ combineWith: 'OR', queries: hit.terms });
      ranked.set(
        hit.id as string,
        sections.map((s) => s.index as number),
      );
    }
    return ranked;
  }
}
