import MiniSearch, { SearchOptions } from 'minisearch';
import { KnowledgeDocument, KnowledgeHit, KnowledgeSearchOptions, KnowledgeStats } from '../knowledge.types';
import { analyze, analyzeQueryTerm, analyzeTerm, tokenize } from '../text/spanish-analyzer';
import { buildExcerpt, splitSections } from './sections';

export const DEFAULT_TOP_K = 3;
export const MAX_TOP_K = 20;
export const DEFAULT_CONTENT_CHARS = 2000;

/** Field weights: a title or tag hit says more about what a document is than a body mention. */
export const FIELD_BOOST = { title: 3, tags: 2.5, content: 1 } as const;

/** A chat message can be 4000 characters; beyond this many distinct terms a query adds noise, not recall. */
export const MAX_QUERY_TERMS = 32;

/**
 * Matching tolerance, applied to analysed (stemmed) query terms. Prefix: a stem of 4+ letters
 * also matches longer stems ("export" → "exportador"). Fuzzy (one edit per 4 letters, at most
 * two) only for terms the base does not contain, i.e. likely typos ("factrua", "credto",
 * "certifcado"): a correctly spelled word gains nothing from it and costs most of the search
 * time. Numbers always match exactly, so "33" never drifts to "34".
 */
export function matchingFor(vocabulary: ReadonlySet<string>): Pick<SearchOptions, 'prefix' | 'fuzzy' | 'maxFuzzy' | 'weights'> {
  const isWord = (term: string) => term.length >= 4 && !/\d/.test(term);
  return {
    prefix: isWord,
    fuzzy: (term: string) => (isWord(term) && !vocabulary.has(term) ? 0.25 : false),
    maxFuzzy: 2,
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
const QUERY_ANALYSIS = { tokenize, processTerm: (term: string) => analyzeQueryTerm(term) ?? undefined };

interface SectionEntry {
  id: string;
  docId: string;
  index: number;
  heading: string;
  text: string;
}

/** `general` (the chat wizard's catch-all hint) means "every module". */
function moduleFilter(module: KnowledgeSearchOptions['module']): ((m: string) => boolean) | undefined {
  const wanted = (Array.isArray(module) ? module : module ? [module] : []).filter((m) => m && m !== 'general');
  if (!wanted.length) return undefined;
  const set = new Set(wanted);
  return (m) => set.has(m);
}

/**
 * An immutable, fully built search index over one snapshot of the knowledge base: a MiniSearch
 * (BM25+) index of whole documents for ranking, and one of their sections to pick each hit's
 * excerpt. The service swaps whole instances on reload, so a search never sees a half-built one.
 */
export class KnowledgeIndex {
  private readonly docs = new Map<string, KnowledgeDocument>();
  private readonly documentIndex: MiniSearch<KnowledgeDocument>;
  private readonly sectionIndex: MiniSearch<SectionEntry>;
  private readonly tagCount: number;
  readonly builtAt = new Date();

  constructor(documents: KnowledgeDocument[]) {
    for (const d of documents) this.docs.set(d.id, d);
    const vocabulary = new Set(documents.flatMap((d) => analyze(`${d.title} ${d.tags.join(' ')} ${d.content}`)));
    const matching = matchingFor(vocabulary);
    this.documentIndex = new MiniSearch<KnowledgeDocument>({
      fields: ['title', 'tags', 'content'],
      storeFields: [],
      extractField: (doc, field) => {
        const value = (doc as unknown as Record<string, unknown>)[field];
        return Array.isArray(value) ? value.join(' ') : (value as string);
      },
      ...ANALYSIS,
      searchOptions: { boost: { ...FIELD_BOOST }, ...matching, ...QUERY_ANALYSIS },
    });
    this.documentIndex.addAll([...this.docs.values()]);

    this.sectionIndex = new MiniSearch<SectionEntry>({
      fields: ['heading', 'text'],
      storeFields: ['docId', 'index'],
      ...ANALYSIS,
      searchOptions: { boost: { heading: 2, text: 1 }, ...matching, ...QUERY_ANALYSIS },
    });
    for (const d of this.docs.values()) {
      this.sectionIndex.addAll(
        splitSections(d.content).map((s) => ({ id: `${d.id}#${s.index}`, docId: d.id, index: s.index, heading: s.heading, text: s.text })),
      );
    }
    this.tagCount = new Set([...this.docs.values()].flatMap((d) => d.tags)).size;
  }

  get size(): number {
    return this.docs.size;
  }

  stats(): KnowledgeStats {
    return { documents_count: this.docs.size, total_tags: this.tagCount };
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
    const inModule = moduleFilter(options.module);
    const filter = inModule ? (r: { id: string }) => inModule(this.docs.get(r.id)!.module) : undefined;
    const condensed = condenseQuery(query);
    if (!condensed) return [];
    const results = this.documentIndex.search(condensed, { filter }).slice(0, topK);
    if (!results.length) return [];

    const budget = options.maxContentChars ?? DEFAULT_CONTENT_CHARS;
    const sectionsByDoc = this.rankSections(condensed, new Set(results.map((r) => r.id as string)));
    return results.map((r) => {
      const doc = this.docs.get(r.id as string)!;
      return {
        id: doc.id,
        title: doc.title,
        content: buildExcerpt(doc.content, sectionsByDoc.get(doc.id) ?? [], budget),
        tags: doc.tags,
        module: doc.module,
        score: Math.round(r.score * 1000) / 1000,
      };
    });
  }

  /** Section indexes per document, best match first, for the documents being returned. */
  private rankSections(query: string, docIds: Set<string>): Map<string, number[]> {
    const ranked = new Map<string, number[]>();
    for (const s of this.sectionIndex.search(query, { filter: (r) => docIds.has(r.docId) })) {
      const list = ranked.get(s.docId) ?? [];
      list.push(s.index);
      ranked.set(s.docId, list);
    }
    return ranked;
  }
}
