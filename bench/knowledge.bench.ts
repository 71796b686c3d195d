/**
 * Knowledge search benchmark: ranking quality (Recall@1, Recall@3, MRR) over the labelled query
 * set, the colloquial set (expected document first), chat-style pairs and follow-ups, search
 * latency percentiles and CPU, and what a chat turn's knowledge step costs, on the real knowledge
 * base, in-process (no HTTP).
 *
 *   npx ts-node bench/knowledge.bench.ts            # prints one JSON object
 *   KB_BENCH_ITERATIONS=200 npx ts-node bench/knowledge.bench.ts
 *
 * The main `npm run bench` can import `runKnowledgeBench()` and merge its result.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { DTE_PLUGIN } from '../src/chat/plugins/dte.plugin';
import { knowledgeQuery, relevantHits } from '../src/chat/prompt/knowledge-context';
import { KnowledgeDocument } from '../src/knowledge/knowledge.types';
import { loadKnowledgeBase } from '../src/knowledge/loading/knowledge-loader';
import { KnowledgeIndex } from '../src/knowledge/search/knowledge-index';
import { evaluateRanking, LabelledQuery, RankingReport } from '../src/knowledge/search/ranking-metrics';
import { Latency, summarizeLatency } from './lib/stats';

export interface KnowledgeBenchOptions {
  knowledgeDir?: string;
  queriesFile?: string;
  /** Timed passes over the whole query set. */
  iterations?: number;
}

type LatencySummary = Latency;

/** Recall@1, Recall@3 and MRR of one labelled set. */
interface RankingFigures {
  queries: number;
  recall_at_1: number;
  recall_at_3: number;
  mrr: number;
}

/** A chat turn's knowledge step: the query the chat builds, then its searches (see chatKnowledgeStep). */
interface ChatStepFigures {
  turns: number;
  /** Share of turns whose query carries the previous question (the message was a short follow-up). */
  with_previous_question: number;
  /** Index searches per turn: the plugin's modules first, the whole base when they hold nothing relevant. */
  searches_per_turn: number;
  /** Every search runs the engine (result cache off). */
  cpu_ms_per_turn: number;
  latency: LatencySummary;
  /** As the service runs after a start: a fresh index with its result cache, the same turns in the same order. */
  cpu_ms_per_turn_cached: number;
  latency_cached: LatencySummary;
}

export interface KnowledgeBenchResult {
  benchmark: 'knowledge_search';
  documents: number;
  tags: number;
  queries: number;
  load_ms: number;
  /** First build in this process (cold, as at start-up): wall time and the process's CPU time. */
  index_ms: number;
  index_cpu_ms: number;
  recall_at_1: number;
  recall_at_3: number;
  mrr: number;
  misses: { query: string; expected: string; top: string[] }[];
  /** Colloquial phrasings (no accents, typos, two intents, Odoo menu words): the document must be first. */
  colloquial: { queries: number; recall_at_1: number; recall_at_3: number; mrr: number; misses_at_1: string[] };
  /** Chat-style pairs: each labelled question after an unrelated previous one, searched as the chat builds the query. */
  chat_pairs: RankingFigures;
  /** Follow-ups after the question they lean on (the labelled `follow_ups`), searched as the chat builds the query. */
  follow_ups: RankingFigures;
  /** One search of each of the 81 questions, result cache off. */
  latency: LatencySummary;
  cpu_ms_per_search: number;
  /** What a chat turn's knowledge step costs: seeded (question, previous question) pairs of the 81 questions. */
  chat_turn: ChatStepFigures;
  /** A 4000-character chat message passed whole to search (what the chat may do). */
  latency_chat_message: LatencySummary;
  /** The same queries answered from the index's result cache (a question asked again). */
  latency_cached: LatencySummary;
  machine: { cpus: number; cpu_model: string; node: string };
}

const ROOT = join(__dirname, '..');

const summarize = (samples: number[]): LatencySummary => summarizeLatency(samples, 3);

function time(fn: () => unknown): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** CPU milliseconds (user + system) of this process spent in `fn`. */
function cpuOf(fn: () => unknown): number {
  const t = process.cpuUsage();
  fn();
  const used = process.cpuUsage(t);
  return (used.user + used.system) / 1000;
}

function figures(top3: RankingReport, first: RankingReport): RankingFigures {
  return { queries: top3.queries, recall_at_1: first.recall_at_k, recall_at_3: top3.recall_at_k, mrr: top3.mrr };
}

interface ChatTurn {
  message: string;
  previous: string;
}

/**
 * The knowledge step of a chat turn as ChatService runs it (`prepare` → `searchKnowledge`, in
 * src/chat/chat.service.ts): the query from the message and the previous user question, the
 * plugin's modules first (the bench's turns carry `module: l10n_cl_dte`, so the DTE plugin), then
 * the whole base if those hold nothing relevant. Returns how many searches it ran.
 */
function chatKnowledgeStep(index: KnowledgeIndex, turn: ChatTurn): number {
  const query = knowledgeQuery(turn.message, [
    { role: 'user', content: turn.previous },
    { role: 'assistant', content: 'respuesta' },
  ]);
  const options = { topK: 3 };
  if (relevantHits(index.search(query, { ...options, module: [...(DTE_PLUGIN.knowledgeModules ?? [])] })).length)
    return 1;
  relevantHits(index.search(query, options));
  return 2;
}

/** Deterministic pseudo-random pairs, so runs and code versions see the same turns. */
function seededTurns(questions: string[], count: number): ChatTurn[] {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const draw = () => questions[Math.floor(next() * questions.length)];
  return Array.from({ length: count }, () => ({ message: draw(), previous: draw() }));
}

function measureChatStep(documents: KnowledgeDocument[], engine: KnowledgeIndex, turns: ChatTurn[]): ChatStepFigures {
  for (const turn of turns.slice(0, 200)) chatKnowledgeStep(engine, turn); // JIT warm-up
  let searches = 0;
  const latency: number[] = [];
  const cpu = cpuOf(() => {
    for (const turn of turns) latency.push(time(() => (searches += chatKnowledgeStep(engine, turn))));
  });
  const cached = new KnowledgeIndex(documents);
  const latencyCached: number[] = [];
  const cpuCached = cpuOf(() => {
    for (const turn of turns) latencyCached.push(time(() => chatKnowledgeStep(cached, turn)));
  });
  const withPrevious = turns.filter(
    (t) => knowledgeQuery(t.message, [{ role: 'user', content: t.previous }]) !== t.message,
  );
  return {
    turns: turns.length,
    with_previous_question: +(withPrevious.length / turns.length).toFixed(3),
    searches_per_turn: +(searches / turns.length).toFixed(3),
    cpu_ms_per_turn: +(cpu / turns.length).toFixed(4),
    latency: summarize(latency),
    cpu_ms_per_turn_cached: +(cpuCached / turns.length).toFixed(4),
    latency_cached: summarize(latencyCached),
  };
}

export async function runKnowledgeBench(options: KnowledgeBenchOptions = {}): Promise<KnowledgeBenchResult> {
  const dir = options.knowledgeDir ?? join(ROOT, 'knowledge-base');
  const labelled = JSON.parse(readFileSync(options.queriesFile ?? join(ROOT, 'test/knowledge/queries.json'), 'utf8'));
  const queries: LabelledQuery[] = labelled.queries;
  const colloquial: LabelledQuery[] = labelled.colloquial ?? [];
  const followUpSet: { previous: string; message: string; expected: string }[] = labelled.follow_ups ?? [];
  const iterations = options.iterations ?? 50;

  let t = performance.now();
  const base = await loadKnowledgeBase(dir);
  const load_ms = performance.now() - t;
  t = performance.now();
  let index!: KnowledgeIndex;
  // The engine itself: no result cache, every search runs MiniSearch.
  const index_cpu_ms = cpuOf(() => (index = new KnowledgeIndex(base.documents, { resultCacheSize: 0 })));
  const index_ms = performance.now() - t;

  const search = (q: string, o = {}) => index.search(q, o);
  const ranking = evaluateRanking(search, queries);
  const firstOnly = evaluateRanking(search, queries, 1);
  const colloquialTop3 = evaluateRanking(search, colloquial);
  const colloquialFirst = evaluateRanking(search, colloquial, 1);

  // Each labelled question (both sets) after an unrelated one, and the follow-ups after theirs,
  // searched with the query the chat builds (whole base, so the figures compare across versions).
  const asked = [...queries, ...colloquial];
  const pairs = asked.map((q, i) => ({
    ...q,
    query: knowledgeQuery(q.query, [{ role: 'user', content: asked[(i * 7 + 3) % asked.length].query }]),
    module: undefined,
  }));
  const followUps = followUpSet.map((f) => ({
    query: knowledgeQuery(f.message, [{ role: 'user', content: f.previous }]),
    expected: f.expected,
  }));

  // Warm-up so JIT compilation is not measured as search latency.
  for (const q of queries) index.search(q.query);
  const samples: number[] = [];
  const searchCpu = cpuOf(() => {
    for (let i = 0; i < iterations; i++)
      for (const q of queries) samples.push(time(() => index.search(q.query, { topK: 3 })));
  });

  const cachedIndex = new KnowledgeIndex(base.documents);
  for (const q of queries) cachedIndex.search(q.query, { topK: 3 });
  const cachedSamples: number[] = [];
  for (let i = 0; i < iterations; i++)
    for (const q of queries) cachedSamples.push(time(() => cachedIndex.search(q.query, { topK: 3 })));

  const chatTurn = measureChatStep(
    base.documents,
    index,
    seededTurns(
      queries.map((q) => q.query),
      Math.max(1000, iterations * 40),
    ),
  );

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
    index_cpu_ms: +index_cpu_ms.toFixed(1),
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
    chat_pairs: figures(evaluateRanking(search, pairs), evaluateRanking(search, pairs, 1)),
    follow_ups: figures(evaluateRanking(search, followUps), evaluateRanking(search, followUps, 1)),
    latency: summarize(samples),
    cpu_ms_per_search: +(searchCpu / samples.length).toFixed(4),
    chat_turn: chatTurn,
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
