import { boundedLevenshtein } from './edit-distance';

/** BM25+ parameters (MiniSearch's defaults, which the ranking set was tuned with). */
const K = 1.2;
const B = 0.7;
const D = 0.5;

export interface Bm25Field {
  name: string;
  boost: number;
}

/** How a query term may match other index terms: the options MiniSearch calls prefix/fuzzy/maxFuzzy/weights. */
export interface TermMatching {
  prefix: (term: string) => boolean;
  /** A fraction of the term's length (0.25 = one edit per 4 letters), or false. */
  fuzzy: (term: string) => number | false;
  maxFuzzy: number;
  weights: { fuzzy: number; prefix: number };
}

/** Everything one query term adds to each record it matches: exact, prefix and fuzzy matches summed. */
interface Expansion {
  records: Int32Array;
  sums: Float64Array;
}

interface FieldPostings {
  records: Int32Array;
  /** BM25+ score of the term in that record's field, before weights and boosts. */
  raw: Float64Array;
}

/** Cached expansions per collection; when full, the oldest half goes (typos keep arriving). */
const MAX_CACHED_EXPANSIONS = 20_000;

function bm25(termFreq: number, matching: number, total: number, fieldLength: number, avgFieldLength: number): number {
  const invDocFreq = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
  return invDocFreq * (D + (termFreq * (K + 1)) / (termFreq + K * (1 - B + (B * fieldLength) / avgFieldLength)));
}

/**
 * An immutable BM25+ index of records with weighted fields, scored exactly as MiniSearch 7 scores
 * an OR query (same field lengths, averages, IDF, prefix and fuzzy weights, and the final
 * "× number of query terms matched"), which `bm25-collection.spec.ts` checks against MiniSearch
 * itself. It is built for a fixed snapshot, which lets it do per search almost nothing:
 * every term's BM25 score per record is computed at load time, and what a query term adds to
 * each record (its exact, prefix and fuzzy matches) is computed once and cached, since the
 * vocabulary never changes. A search is then a few additions per matching record.
 */
export class Bm25Collection {
  readonly size: number;
  private readonly postings = new Map<string, FieldPostings[]>();
  /** The vocabulary, sorted, for prefix ranges and fuzzy scans. */
  private readonly vocabulary: string[];
  private readonly expansions = new Map<string, Expansion>();
  // Scratch space for one search (searches are synchronous, so one set per collection is enough).
  private readonly acc: Float64Array;
  private readonly quality: Uint16Array;
  private readonly touched: Uint8Array;
  private readonly order: Int32Array;

  constructor(
    private readonly fields: readonly Bm25Field[],
    /** Per record, the text of each field (in `fields` order); null when the record has none. */
    records: readonly (readonly (string | null | undefined)[])[],
    tokenize: (text: string) => string[],
    processTerm: (token: string) => string | null | undefined,
    private readonly matching: TermMatching,
  ) {
    const n = records.length;
    this.size = n;
    const fieldLength = fields.map(() => new Float64Array(n));
    const avg = fields.map(() => 0);
    const freqs = new Map<string, Map<number, number>[]>();
    records.forEach((values, r) => {
      fields.forEach((_, f) => {
        const text = values[f];
        if (text == null) return;
        const tokens = tokenize(String(text));
        // MiniSearch's field length: distinct raw tokens; its average, updated as records are added.
        const length = new Set(tokens).size;
        fieldLength[f][r] = length;
        avg[f] = (avg[f] * r + length) / (r + 1);
        for (const token of tokens) {
          const term = processTerm(token);
          if (!term) continue;
          let perField = freqs.get(term);
          if (!perField) freqs.set(term, (perField = fields.map(() => new Map<number, number>())));
          perField[f].set(r, (perField[f].get(r) ?? 0) + 1);
        }
      });
    });
    for (const [term, perField] of freqs) {
      this.postings.set(
        term,
        perField.map((tf, f) => {
          const ids = Int32Array.from(tf.keys());
          const raw = Float64Array.from(ids, (r) => bm25(tf.get(r)!, tf.size, n, fieldLength[f][r], avg[f]));
          return { records: ids, raw };
        }),
      );
    }
    this.vocabulary = [...freqs.keys()].sort();
    this.acc = new Float64Array(n);
    this.quality = new Uint16Array(n);
    this.touched = new Uint8Array(n);
    this.order = new Int32Array(n);
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  /**
   * Scores records for an OR query of analysed terms (duplicates allowed, as MiniSearch allows
   * them). Returns matching records, best first (ties in the order they were first matched),
   * keeping only those `accept` lets through.
   */
  search(terms: readonly string[], accept?: (record: number) => boolean): { record: number; score: number }[] {
    const { acc, quality, touched, order } = this;
    let count = 0;
    const seen = new Set<string>();
    for (const term of terms) {
      const first = !seen.has(term);
      seen.add(term);
      const e = this.expansion(term);
      for (let i = 0; i < e.records.length; i++) {
        const r = e.records[i];
        if (!touched[r]) {
          touched[r] = 1;
          order[count++] = r;
        }
        acc[r] += e.sums[i];
        if (first) quality[r] += 1;
      }
    }
    const out: { record: number; score: number }[] = [];
    for (let i = 0; i < count; i++) {
      const r = order[i];
      if (!accept || accept(r)) out.push({ record: r, score: acc[r] * (quality[r] || 1) });
      acc[r] = 0;
      quality[r] = 0;
      touched[r] = 0;
    }
    return out.sort((a, b) => b.score - a.score);
  }

  /** What one query term adds to each record (cached: the collection never changes). */
  private expansion(term: string): Expansion {
    let e = this.expansions.get(term);
    if (e) return e;
    e = this.expand(term);
    if (this.expansions.size >= MAX_CACHED_EXPANSIONS) {
      let drop = MAX_CACHED_EXPANSIONS / 2;
      for (const key of this.expansions.keys()) {
        this.expansions.delete(key);
        if (--drop === 0) break;
      }
    }
    this.expansions.set(term, e);
    return e;
  }

  private expand(term: string): Expansion {
    const { weights, maxFuzzy } = this.matching;
    const matches: [string, number][] = [];
    if (this.postings.has(term)) matches.push([term, 1]);
    const prefixed = new Set<string>();
    if (this.matching.prefix(term)) {
      for (let i = lowerBound(this.vocabulary, term); i < this.vocabulary.length; i++) {
        const t = this.vocabulary[i];
        if (!t.startsWith(term)) break;
        if (t === term) continue;
        prefixed.add(t);
        matches.push([t, (weights.prefix * t.length) / (t.length + 0.3 * (t.length - term.length))]);
      }
    }
    const fuzzy = this.matching.fuzzy(term);
    if (fuzzy) {
      const maxDistance = fuzzy < 1 ? Math.min(maxFuzzy, Math.round(term.length * fuzzy)) : fuzzy;
      if (maxDistance) {
        for (const t of this.vocabulary) {
          if (t === term || prefixed.has(t) || Math.abs(t.length - term.length) > maxDistance) continue;
          const distance = boundedLevenshtein(term, t, maxDistance);
          if (distance > 0 && distance <= maxDistance) matches.push([t, (weights.fuzzy * t.length) / (t.length + distance)]);
        }
      }
    }
    // Summed per record in the order MiniSearch adds them: match by match, field by field.
    const sums = new Map<number, number>();
    for (const [t, weight] of matches) {
      const perField = this.postings.get(t)!;
      this.fields.forEach((field, f) => {
        const p = perField[f];
        for (let i = 0; i < p.records.length; i++) {
          const r = p.records[i];
          const add = weight * field.boost * p.raw[i];
          const had = sums.get(r);
          sums.set(r, had === undefined ? add : had + add);
        }
      });
    }
    return { records: Int32Array.from(sums.keys()), sums: Float64Array.from(sums.values()) };
  }
}

/** First index whose value is >= `value` in an ascending array. */
function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
