import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { KnowledgeDocument } from '../knowledge.types';
import { loadKnowledgeBase } from '../loading/knowledge-loader';
import { analyze, analyzeQueryTerm, analyzeTerm, tokenize } from '../text/spanish-analyzer';
import { Bm25Collection } from './bm25-collection';
import { boundedLevenshtein } from './edit-distance';
import { condenseQuery, FIELD_BOOST, KnowledgeIndex, matchingFor } from './knowledge-index';
import { splitSections } from './sections';

/**
 * Bm25Collection must rank exactly as MiniSearch did before it replaced it at search time: the
 * reference below is the MiniSearch configuration the knowledge index used (same analysis, field
 * boosts, prefix and fuzzy rules), run over the real knowledge base.
 */
const ROOT = join(__dirname, '..', '..', '..');
const QUERIES: string[] = JSON.parse(readFileSync(join(ROOT, 'test/knowledge/queries.json'), 'utf8')).queries.map((q: { query: string }) => q.query);
const EXTRA = [
  'factrua electronica', 'credto', 'certifcado digital vencido', 'exportasion', 'emicion de boleta', 'liquidacion de sueldo',
  'cotisacion afp', 'f29 iva debito credito', '33 34 39 61', 'la de el y', 'guía de despacho traslado', 'ñandú', 'Año 2026 DTE',
];

function reference(documents: KnowledgeDocument[]) {
  const vocabulary = new Set(documents.flatMap((d) => analyze(`${d.title} ${d.tags.join(' ')} ${d.content}`)));
  const matching = matchingFor(vocabulary);
  const ANALYSIS = { tokenize, processTerm: (t: string) => analyzeTerm(t) ?? undefined };
  const QUERY = { tokenize, processTerm: (t: string) => (analyzeQueryTerm(t) as string[] | null) ?? undefined };
  const docs = new MiniSearch<KnowledgeDocument>({
    fields: ['title', 'tags', 'content'],
    storeFields: ['module'],
    extractField: (doc, field) => {
      const value = (doc as unknown as Record<string, unknown>)[field];
      return Array.isArray(value) ? value.join(' ') : (value as string);
    },
    ...ANALYSIS,
    searchOptions: { boost: { ...FIELD_BOOST }, ...matching, ...QUERY },
  });
  docs.addAll(documents);
  const sections = new MiniSearch<{ id: string; docId: string; index: number; heading: string; text: string }>({
    fields: ['heading', 'text'],
    storeFields: ['docId', 'index'],
    ...ANALYSIS,
    searchOptions: { boost: { heading: 2, text: 1 }, ...matching, ...QUERY },
  });
  for (const d of documents) sections.addAll(splitSections(d.content).map((s) => ({ id: `${d.id}#${s.index}`, docId: d.id, index: s.index, heading: s.heading, text: s.text })));
  return { docs, sections };
}

describe('Bm25Collection (scores as MiniSearch does)', () => {
  let documents: KnowledgeDocument[];
  let ref: ReturnType<typeof reference>;
  let index: KnowledgeIndex;
  beforeAll(async () => {
    documents = (await loadKnowledgeBase(join(ROOT, 'knowledge-base'))).documents;
    ref = reference(documents);
    index = new KnowledgeIndex(documents);
  });

  const queries = () => [
    ...QUERIES,
    ...EXTRA,
    // Chat queries: the question plus the tail of the previous one.
    ...QUERIES.map((q, i) => `${q} ${QUERIES[(i * 7 + 3) % QUERIES.length].slice(-200)}`),
    QUERIES.join(' ').slice(0, 4000),
  ];

  it('ranks documents in the same order with the same scores, for every query, also within a module', () => {
    let compared = 0;
    for (const q of queries()) {
      for (const module of [undefined, 'l10n_cl_dte', ['account', 'hr_payroll']]) {
        const wanted = module ? new Set(Array.isArray(module) ? module : [module]) : null;
        const expected = ref.docs
          .search(condenseQuery(q), wanted ? { filter: (r) => wanted.has(r.module) } : {})
          .slice(0, 20)
          .map((r) => ({ id: r.id, score: Math.round(r.score * 1000) / 1000 }));
        const got = index.search(q, { topK: 20, module: module as string[] | undefined }).map((h) => ({ id: h.id, score: h.score }));
        expect({ q, module, got }).toEqual({ q, module, got: expected });
        compared += got.length;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('picks excerpt sections in the same order', () => {
    const sectionsOf = (docId: string) => splitSections(documents.find((d) => d.id === docId)!.content);
    for (const q of queries()) {
      const hits = index.search(q, { topK: 3, maxContentChars: 900 });
      const ids = new Set(hits.map((h) => h.id));
      const ranked = new Map<string, number[]>();
      for (const s of ref.sections.search(condenseQuery(q), { filter: (r) => ids.has(r.docId) })) {
        ranked.set(s.docId, [...(ranked.get(s.docId) ?? []), s.index]);
      }
      for (const h of hits) {
        const doc = documents.find((d) => d.id === h.id)!;
        if (doc.content.length <= 900) continue;
        // The excerpt opens with the best-ranked section the reference chose (after the lead).
        const best = sectionsOf(h.id)[(ranked.get(h.id) ?? [])[0] ?? -1];
        if (best?.heading) expect({ q, id: h.id, has: h.content.includes(best.text.split('\n')[0]) }).toEqual({ q, id: h.id, has: true });
      }
    }
  });
});

describe('Bm25Collection', () => {
  const tokenizeWords = (t: string) => t.split(/\s+/).filter(Boolean);
  const exactOnly = { prefix: () => false, fuzzy: () => false as const, maxFuzzy: 2, weights: { fuzzy: 0.4, prefix: 0.5 } };

  it('counts duplicate query terms twice in the score but once in the matched-terms factor, as MiniSearch does', () => {
    const c = new Bm25Collection([{ name: 'text', boost: 1 }], [['a b'], ['b c'], ['c']], tokenizeWords, (t) => t, exactOnly);
    const once = c.search(['a', 'b']);
    const twice = c.search(['a', 'b', 'b']);
    expect(once.map((r) => r.record)).toEqual([0, 1]);
    const r1 = twice.find((r) => r.record === 1)!.score;
    expect(r1).toBeCloseTo(2 * once.find((r) => r.record === 1)!.score, 12);
  });

  it('filters records and leaves no state behind between searches', () => {
    const c = new Bm25Collection([{ name: 'text', boost: 1 }], [['a'], ['a a'], ['b']], tokenizeWords, (t) => t, exactOnly);
    const first = c.search(['a']);
    expect(c.search(['a'], (r) => r !== 0).map((r) => r.record)).toEqual(first.map((r) => r.record).filter((r) => r !== 0));
    expect(c.search(['a'])).toEqual(first);
    expect(c.search(['zzz'])).toEqual([]);
  });
});

describe('boundedLevenshtein', () => {
  it.each([
    ['factura', 'factura', 2, 0],
    ['factrua', 'factura', 2, 2],
    ['credto', 'credit', 2, 2],
    ['abc', 'abcd', 1, 1],
    ['abc', 'xyzw', 2, 3],
    ['', 'ab', 2, 2],
  ])('%s → %s within %i: %i (more than the bound means "too far")', (a, b, max, expected) => {
    const d = boundedLevenshtein(a, b, max);
    if (expected <= max) expect(d).toBe(expected);
    else expect(d).toBeGreaterThan(max);
  });
});
