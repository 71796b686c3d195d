import { LRUCache } from 'lru-cache';
import MiniSearch, { SearchOptions } from 'minisearch';
import type SearchableMap from 'minisearch/SearchableMap';
import { KnowledgeDocument } from '../knowledge.types';

/** Unknown words whose "has a near neighbour?" answer is kept per snapshot (least recently used go first). */
const NEIGHBOUR_MEMO_SIZE = 20_000;
const FUZZY_FRACTION = 0.25;
const MAX_FUZZY = 2;

/** The two questions matching asks of the base's terms; MiniSearch's own radix tree answers both. */
export type TermLookup = Pick<SearchableMap<unknown>, 'has' | 'fuzzyGet'>;

/**
 * MiniSearch over whole documents that also tells, from its own term index, which terms the base
 * holds and in how many documents each one occurs. `_index` is MiniSearch's protected term index
 * (a `SearchableMap` of term → field → document → frequency), there for subclasses to read;
 * reading it spares analysing every document a second time to learn the same at start-up.
 */
export class DocumentIndex extends MiniSearch<KnowledgeDocument> {
  /** The index's terms (read only; the index is never changed after it is built). */
  get terms(): TermLookup {
    return this._index;
  }

  /** How many documents hold each term, in any field. */
  documentFrequencies(): Map<string, number> {
    const counts = new Map<string, number>();
    const documents = new Set<number>();
    for (const [term, fields] of this._index) {
      documents.clear();
      for (const frequencies of fields.values()) for (const id of frequencies.keys()) documents.add(id);
      counts.set(term, documents.size);
    }
    return counts;
  }
}

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
  terms: TermLookup,
  skipLoneTerms = true,
): Pick<SearchOptions, 'prefix' | 'fuzzy' | 'maxFuzzy' | 'weights'> {
  const isWord = (term: string) => term.length >= 4 && !/\d/.test(term);
  // A count bound without preallocating every slot at each (re)load (see the analyzer's memo).
  const neighbours = new LRUCache<string, boolean>({ maxSize: NEIGHBOUR_MEMO_SIZE, sizeCalculation: () => 1 });
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
