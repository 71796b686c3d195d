import { KnowledgeSearchOptions } from '../knowledge.types';

export interface LabelledQuery {
  query: string;
  /** Id of the document that must rank in the top k. */
  expected: string;
  module?: string;
}

interface RankedQuery extends LabelledQuery {
  /** 1-based position of `expected` in the results, 0 when absent from the first `depth`. */
  rank: number;
  top: string[];
}

export interface RankingReport {
  queries: number;
  k: number;
  recall_at_k: number;
  mrr: number;
  misses: RankedQuery[];
  ranked: RankedQuery[];
}

type Searcher = (query: string, options: KnowledgeSearchOptions) => { id: string }[];

/**
 * Recall@k (share of queries whose expected document is in the top k) and MRR (mean of
 * 1/rank, 0 when the document is not in the first `depth` results). Shared by the ranking
 * test and the benchmark so both report the same numbers.
 */
export function evaluateRanking(search: Searcher, queries: LabelledQuery[], k = 3, depth = 20): RankingReport {
  const ranked = queries.map((q) => {
    const ids = search(q.query, { topK: depth, module: q.module, maxContentChars: 0 }).map((h) => h.id);
    return { ...q, rank: ids.indexOf(q.expected) + 1, top: ids.slice(0, k) };
  });
  const n = ranked.length || 1;
  const hits = ranked.filter((r) => r.rank > 0 && r.rank <= k).length;
  const rr = ranked.reduce((sum, r) => sum + (r.rank ? 1 / r.rank : 0), 0);
  return {
    queries: ranked.length,
    k,
    recall_at_k: +(hits / n).toFixed(4),
    mrr: +(rr / n).toFixed(4),
    misses: ranked.filter((r) => !(r.rank > 0 && r.rank <= k)),
    ranked,
  };
}
