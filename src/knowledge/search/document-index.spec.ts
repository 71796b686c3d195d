import { KnowledgeDocument } from '../knowledge.types';
import { analyze, analyzeTerm, tokenize } from '../text/spanish-analyzer';
import { DocumentIndex, matchingFor } from './document-index';

const doc = (id: string, title: string, content: string, tags: string[] = []): KnowledgeDocument => ({
  id,
  title,
  content,
  tags,
  module: 'l10n_cl_dte',
  sources: [`Fuente de ${id}`],
  reviewed: '2026-01-15',
  file: `${id}.md`,
});

const DOCS = [
  doc('nc', 'Nota de crédito electrónica', 'La nota de crédito anula o rebaja una factura emitida.', ['61', 'nc']),
  doc('exenta', 'Factura exenta', 'La factura exenta (34) no lleva IVA. Facturación exenta.', ['34', 'exenta']),
  doc('afecta', 'Factura afecta', 'La FACTURA afecta (33) lleva IVA de 19%.', ['33']),
];

function build(documents: KnowledgeDocument[]): DocumentIndex {
  const index = new DocumentIndex({
    fields: ['title', 'tags', 'content'],
    extractField: (d, field) => {
      const value = (d as unknown as Record<string, unknown>)[field];
      return Array.isArray(value) ? value.join(' ') : (value as string);
    },
    tokenize,
    processTerm: (term) => analyzeTerm(term) ?? undefined,
  });
  index.addAll(documents);
  return index;
}

/** What the index used to compute by analysing every document a second time. */
function analysedFrequencies(documents: KnowledgeDocument[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of documents)
    for (const term of new Set(analyze(`${d.title} ${d.tags.join(' ')} ${d.content}`)))
      counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

const sorted = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));

describe('DocumentIndex', () => {
  const index = build(DOCS);

  it('counts the documents holding each term, in any field, as a separate analysis of the documents does', () => {
    const frequencies = index.documentFrequencies();
    expect(sorted(frequencies)).toEqual(sorted(analysedFrequencies(DOCS)));
    expect(frequencies.get(analyzeTerm('factura')!)).toBe(3);
    expect(frequencies.get(analyzeTerm('exenta')!)).toBe(1);
    expect(frequencies.get('61')).toBe(1);
  });

  it('knows its own terms', () => {
    expect(index.terms.has(analyzeTerm('crédito')!)).toBe(true);
    expect(index.terms.has('inexistente')).toBe(false);
  });
});

describe('matchingFor', () => {
  const matching = matchingFor(build(DOCS).terms);
  const fuzzy = matching.fuzzy as (term: string) => number | false;
  const prefix = matching.prefix as (term: string) => boolean;

  it.each<[string, number | false, string]>([
    ['credt', 0.25, 'an unknown word with a near neighbour (a typo)'],
    [analyzeTerm('crédito')!, false, 'a word of the base'],
    ['zzzzzz', false, 'an unknown word with no neighbour'],
    ['f2999', false, 'a code with digits'],
  ])('asks fuzzy matching for "%s": %s (%s)', (term, expected) => {
    expect(fuzzy(term)).toBe(expected);
  });

  it('expands prefixes of words of four letters or more, never of codes', () => {
    expect(prefix('export')).toBe(true);
    expect(prefix('iva')).toBe(false);
    expect(prefix('f29')).toBe(false);
  });
});
