import { KnowledgeDocument, KnowledgeHit, KnowledgeSearchOptions, KnowledgeStats } from '../knowledge.types';
import { analyze, analyzeQueryTerm, analyzeTerm, tokenize } from '../text/spanish-analyzer';
import { Bm25Collection, TermMatching } from './bm25-collection';
import { buildExcerptFrom, Section, splitSections } from './sections';

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
export function matchingFor(vocabulary: ReadonlySet<string>): TermMatching {
  const isWord = (term: string) => term.length >= 4 && !/\d/.test(term);
  return {
    prefix: isWord,
    fuzzy: (term: string) => (isWord(term) && !vocabulary.has(term) ? 0.25 : false),
    maxFuzzy: 2,
    weights: { fuzzy: 0.4, prefix: 0.5 },
  };
}

/** The tokens kept from a query: the first occurrence of each distinct term, up to MAX_QUERY_TERMS (long chat messages). */
function condensedTokens(query: string): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const token of tokenize(query)) {
    const term = analyzeTerm(token);
    if (!term || seen.has(term)) continue;
    seen.add(term);
    kept.push(token);
    if (kept.length === MAX_QUERY_TERMS) break;
  }
  return kept;
}

/** Keeps the first occurrence of each distinct term, up to MAX_QUERY_TERMS (long chat messages). */
export function condenseQuery(query: string): string {
  return condensedTokens(query).join(' ');
}

/** The analysed query terms (with their seseo variants) of the condensed query, in order. */
export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  for (const token of condensedTokens(query)) {
    const analysed = analyzeQueryTerm(token);
    if (analysed) terms.push(...analysed);
  }
  return terms;
}

const processTerm = (token: string) => analyzeTerm(token);

interface SectionEntry {
  docId: string;
  index: number;
}

/** `general` (the chat wizard's catch-all hint) means "every module". */
function moduleFilter(module: KnowledgeSearchOptions['module']): ((m: string) => boolean) | undefined {
  const wanted = (Array.isArray(module) ? module : module ? [module] : []).filter((m) => m && m !== 'general');
  if (!wanted.length) return undefined;
  const set = new Set(wanted);
  return (m) => set.has(m);
}

/**
 * An immutable, fully built search index over one snapshot of the knowledge base: a BM25+ index
 * of whole documents for ranking, and one of their sections to pick each hit's excerpt (see
 * Bm25Collection: MiniSearch's scoring, precomputed at load time). The service swaps whole
 * instances on reload, so a search never sees a half-built one.
 */
export class KnowledgeIndex {
  private readonly docs = new Map<string, KnowledgeDocument>();
  private readonly docList: KnowledgeDocument[];
  private readonly documentIndex: Bm25Collection;
  private readonly sectionIndex: Bm25Collection;
  private readonly sections: SectionEntry[] = [];
  /** Each document's sections, split once here rather than on every search. */
  private readonly sectionsByDoc = new Map<string, Section[]>();
  private readonly tagCount: number;
  readonly builtAt = new Date();

  constructor(documents: KnowledgeDocument[]) {
    for (const d of documents) this.docs.set(d.id, d);
    this.docList = [...this.docs.values()];
    const vocabulary = new Set(documents.flatMap((d) => analyze(`${d.title} ${d.tags.join(' ')} ${d.content}`)));
    const matching = matchingFor(vocabulary);
    this.documentIndex = new Bm25Collection(
      [{ name: 'title', boost: FIELD_BOOST.title }, { name: 'tags', boost: FIELD_BOOST.tags }, { name: 'content', boost: FIELD_BOOST.content }],
      this.docList.map((d) => [d.title, d.tags.join(' '), d.content]),
      tokenize,
      processTerm,
      matching,
    );
    const sectionTexts: string[][] = [];
    for (const d of this.docList) {
      const split = splitSections(d.content);
      this.sectionsByDoc.set(d.id, split);
      for (const s of split) {
        this.sections.push({ docId: d.id, index: s.index });
        sectionTexts.push([s.heading, s.text]);
      }
    }
    this.sectionIndex = new Bm25Collection([{ name: 'heading', boost: 2 }, { name: 'text', boost: 1 }], sectionTexts, tokenize, processTerm, matching);
    this.tagCount = new Set(this.docList.flatMap((d) => d.tags)).size;
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
    return [...this.docList];
  }

  /** Best documents first; an empty list when the query has no searchable term. */
  search(query: string, options: KnowledgeSearchOptions = {}): KnowledgeHit[] {
    const topK = Math.min(Math.max(Math.trunc(options.topK ?? DEFAULT_TOP_K), 1), MAX_TOP_K);
    const inModule = moduleFilter(options.module);
    const terms = queryTerms(query);
    if (!terms.length) return [];
    const results = this.documentIndex.search(terms, inModule && ((r) => inModule(this.docList[r].module))).slice(0, topK);
    if (!results.length) return [];

    const budget = options.maxContentChars ?? DEFAULT_CONTENT_CHARS;
    const sectionsByDoc = this.rankSections(terms, new Set(results.map((r) => this.docList[r.record].id)));
    return results.map((r) => {
      const doc = this.docList[r.record];
      return {
        id: doc.id,
        title: doc.title,
        content: buildExcerptFrom(doc.content, this.sectionsByDoc.get(doc.id)!, sectionsByDoc.get(doc.id) ?? [], budget),
        tags: doc.tags,
        module: doc.module,
        score: Math.round(r.score * 1000) / 1000,
      };
    });
  }

  /** Section indexes per document, best match first, for the documents being returned. */
  private rankSections(terms: string[], docIds: Set<string>): Map<string, number[]> {
    const ranked = new Map<string, number[]>();
    for (const { record } of this.sectionIndex.search(terms, (r) => docIds.has(this.sections[r].docId))) {
      const s = this.sections[record];
      const list = ranked.get(s.docId) ?? [];
      list.push(s.index);
      ranked.set(s.docId, list);
    }
    return ranked;
  }
}
