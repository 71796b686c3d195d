import { LRUCache } from 'lru-cache';
import { newStemmer } from 'snowball-stemmers';
import { SPANISH_STOP_WORDS } from './spanish-stop-words';

/**
 * Text analysis shared by indexing and querying, so a document term and a query term meet in
 * the same form: lower case → accent folding → stop words → Snowball Spanish stem.
 *
 * Stemmer choice: `snowball-stemmers` is a JavaScript port generated from the official Snowball
 * definitions (the same Spanish algorithm Lucene and PostgreSQL use), with no dependencies.
 * A hand-rolled suffix stripper would drift from the published algorithm.
 */
const stemmer = newStemmer('spanish');

const DIACRITICS = /[\u0300-\u036f]/g;

/** "Crédito" → "credito", "AÑO" → "ano". Users type with and without accents; both must match. */
export function foldAccents(text: string): string {
  return text.normalize('NFD').replace(DIACRITICS, '').toLowerCase();
}

/**
 * Snowball Spanish matches suffixes with their accents (`-ación`, `-ución`): "liquidación" stems
 * to "liquid" but an unaccented "liquidacion" would not. Every Spanish singular noun ending in
 * -cion/-sion is written -ción/-sión, so restoring that accent before stemming is always right
 * and makes "facturacion" and "facturación" meet.
 */
function restoreSuffixAccent(folded: string): string {
  return folded.replace(/([cs])ion$/, '$1ión');
}

/** Splits on whitespace and punctuation (keeps letters and digits of any script). */
const SEPARATORS = /[^\p{L}\p{N}]+/u;

export function tokenize(text: string): string[] {
  return text.split(SEPARATORS).filter(Boolean);
}

/**
 * Analysis is a pure function of the token and costs a Unicode normalisation and a Snowball run,
 * while users keep writing the same few thousand words: results are memoised in bounded LRU maps
 * (a flood of random tokens evicts old entries instead of growing the heap). The bound is a count
 * given as `maxSize` rather than `max`, which would preallocate all 50 000 slots at start-up
 * (about 4 ms and 1 MB per map) for a base of ~3 000 distinct words. lru-cache stores no null, so
 * "no term" is kept as NO_TERM / NO_TERMS.
 */
export const MEMO_LIMIT = 50_000;
const NO_TERM = '';
const NO_TERMS: readonly string[] = Object.freeze([]);
const MEMO_BOUND = { maxSize: MEMO_LIMIT, sizeCalculation: () => 1 };
const termMemo = new LRUCache<string, string>(MEMO_BOUND);
const queryTermMemo = new LRUCache<string, readonly string[]>(MEMO_BOUND);

/**
 * One raw token → its index term, or null when it carries no meaning (stop word, lone letter).
 * Digits are kept whole: "33", "19", "983" and "f29" are how accountants name documents and laws.
 */
export function analyzeTerm(token: string): string | null {
  let term = termMemo.get(token);
  if (term === undefined) {
    const folded = foldAccents(token);
    // "Factura", "FACTURA" and "factura" fold alike (folding is idempotent) and share one Snowball run.
    term = (folded === token ? termOfFolded(folded) : analyzeTerm(folded)) ?? NO_TERM;
    termMemo.set(token, term);
  }
  return term === NO_TERM ? null : term;
}

function termOfFolded(folded: string): string | null {
  if (!folded || SPANISH_STOP_WORDS.has(folded)) return null;
  if (folded.length === 1 && !/\d/.test(folded)) return null;
  if (/\d/.test(folded)) return folded;
  return foldAccents(stemmer.stem(restoreSuffixAccent(folded)));
}

/**
 * Query-side analysis: the term plus the spelling a Chilean reader most often confuses. With
 * seseo, "-sión" and "-ción" sound the same ("exportasion", "emicion"); the stems differ by
 * more than fuzzy matching tolerates, so both spellings are searched. Documents are indexed
 * with `analyzeTerm` only.
 */
export function analyzeQueryTerm(token: string): readonly string[] | null {
  let terms = queryTermMemo.get(token);
  if (terms === undefined) {
    terms = computeQueryTerm(token) ?? NO_TERMS;
    queryTermMemo.set(token, terms);
  }
  return terms.length ? terms : null;
}

/** How many tokens each memo holds (bounded by MEMO_LIMIT). */
export function memoSizes(): { terms: number; queryTerms: number } {
  return { terms: termMemo.size, queryTerms: queryTermMemo.size };
}

function computeQueryTerm(token: string): readonly string[] | null {
  const term = analyzeTerm(token);
  if (!term) return null;
  const folded = foldAccents(token);
  const swapped = folded.endsWith('sion')
    ? folded.slice(0, -4) + 'cion'
    : folded.endsWith('cion')
      ? folded.slice(0, -4) + 'sion'
      : null;
  const variant = swapped ? analyzeTerm(swapped) : null;
  return variant && variant !== term ? [term, variant] : [term];
}

/** The analyzed terms of a whole text, in order (duplicates kept). */
export function analyze(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    const term = analyzeTerm(token);
    if (term) out.push(term);
  }
  return out;
}
