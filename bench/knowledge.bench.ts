/**
 * Knowledge search benchmark: ranking quality (Recall@1, Recall@3, MRR) over the labelled query
 * set and the colloquial set (expected document first), and search latency percentiles, on the
 * real knowledge base, in-process (no HTTP).
 *
 *   npx ts-node bench/knowledge.bench.ts            # prints one JSON object
 *   KB_BENCH_ITERATIONS=200 npx ts-node bench/knowledge.bench.ts
 *
 * The main `npm run bench` can import `runKnowledgeBench()` and merge its result.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { loadKnowledgeBase } from '../src/knowledge/loading/knowledge-loader';
import { KnowledgeIndex } from '../src/knowledge/search/knowledge-index';
import { evaluateRanking, LabelledQuery } from '../src/knowledge/search/ranking-metrics';
import { Latency, summarizeLatency } from './lib/stats';

export interface KnowledgeBenchOptions {
  knowledgeDir?: string;
  queriesFile?: string;
  /** Timed passes over the whole query set. */
  iterations?: number;
}

export type LatencySummary = Latency;

export interface KnowledgeBenchResult {
  benchmark: 'knowledge_search';
  documents: number;
  tags: number;
  queries: number;
  load_ms: number;
  index_ms: number;
  recall_at_1: number;
  recall_at_3: number;
  mrr: number;
  misses: { query: string; expected: string; top: string[] }[];
  /** Colloquial phrasings (no accents, typos, two intents, Odoo menu words): the document must be first. */
  colloquial: { queries: number; recall_at_1: number; recall_at_3: number; mrr: number; misses_at_1: string[] };
  latency: LatencySummary;
  /** A 4000-character chat message passed whole to search (what the chat may do). */
  latency_chat_message: LatencySummary;
  /** The same queries answered from the index's result cache (a question asked again). */
  latency_cached: LatencySummary;
  machine: { cpus: number; cpu_model: string; node: string };
}

const ROOT = join(__dirname, '..');

export const summarize = (samples: number[]): LatencySummary => summarizeLatency(samples, 3);

function time(fn: () => unknown): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export async function runKnowledgeBench(options: KnowledgeBenchOptions = {}): Promise<KnowledgeBenchResult> {
  const dir = options.knowledgeDir ?? join(ROOT, 'knowledge-base');
  const labelled = JSON.parse(readFileSync(options.queriesFile ?? join(ROOT, 'test/knowledge/queries.json'), 'utf8'));
  const queries: LabelledQuery[] = labelled.queries;
  const colloquial: LabelledQuery[] = labelled.colloquial ?? [];
  const iterations = options.iterations ?? 50;

  let t = performance.now();
  const base = await loadKnowledgeBase(dir);
  const load_ms = performance.now() - t;
  t = performance.now();
  // The engine itself: no result cache, every search runs MiniSearch.
  const index = new KnowledgeIndex(base.documents, 0);
  const index_ms = performance.now() - t;

  const search = (q: string, o = {}) => index.search(q, o);
  const ranking = evaluateRanking(search, queries);
  const firstOnly = evaluateRanking(search, queries, 1);
  const colloquialTop3 = evaluateRanking(search, colloquial);
  const colloquialFirst = evaluateRanking(search, colloquial, 1);

  // Warm-up so JIT compilation is not measured as search latency.
  for (const q of queries) index.search(q.query);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++)
    for (const q of queries) samples.push(time(() => index.search(q.query, { topK: 3 })));

  const cachedIndex = new KnowledgeIndex(base.documents);
  for (const q of queries) cachedIndex.search(q.query, { topK: 3 });
  const cachedSamples: number[] = [];
  for (let i = 0; i < iterations; i++)
    for (const q of queries) cachedSamples.push(time(() => cachedIndex.search(q.query, { topK: 3 })));

  const chatMessage = queries
    .map((q) => q.query)
    .join('. ')
    .slice(0, 4000);
  const chatSamples = Array.from({ length: Math.max(50, iterations * 2) }, () =>
    time(() => index.search(chatMessage, { topK: 3 })),
  );

  const stats = index.stats();
  return {
    benchmark: 'knowledge_search',
    documents: stats.documents_count,
    tags: stats.total_tags,
    queries: ranking.queries,
    load_ms: +load_ms.toFixed(1),
    index_ms: +index_ms.toFixed(1),
    recall_at_1: firstOnly.recall_at_k,
    recall_at_3: ranking.recall_at_k,
    mrr: ranking.mrr,
    misses: ranking.misses.map(({ query, expected, top }) => ({ query, expected, top })),
    colloquial: {
      queries: colloquial.length,
      recall_at_1: colloquialFirst.recall_at_k,
      recall_at_3: colloquialTop3.recall_at_k,
      mrr: colloquialTop3.mrr,
      misses_at_1: colloquialFirst.misses.map((m) => `${m.query} → ${m.top[0]} (want ${m.expected})`),
    },
    latency: summarize(samples),
    latency_chat_message: summarize(chatSamples),
    latency_cached: summarize(cachedSamples),
    machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model ?? 'unknown', node: process.version },
  };
}

if (require.main === module) {
  const iterations = Number(process.env.KB_BENCH_ITERATIONS ?? 50);
  runKnowledgeBench({ iterations })
    .then((r) => process.stdout.write(JSON.stringify(r, null, 2) + '\n'))
    .catch((e) => {
      process.stderr.write(`knowledge bench failed: ${e?.stack ?? e}\n`);
      process.exit(1);
    });
}
