import { KnowledgeDocument } from '../knowledge.types';
import { condenseQuery, KnowledgeIndex, MAX_QUERY_TERMS, RESULT_CACHE_SIZE } from './knowledge-index';

const doc = (
  id: string,
  title: string,
  content: string,
  tags: string[] = [],
  module = 'l10n_cl_dte',
): KnowledgeDocument => ({
  id,
  title,
  content,
  tags,
  module,
  sources: [`Fuente de ${id}`],
  reviewed: '2026-01-15',
  file: `${id}.md`,
});

const DOCS = [
  doc('nc', 'Nota de crédito electrónica', 'La nota de crédito anula o rebaja una factura emitida.', ['61', 'nc']),
  doc('exenta', 'Factura exenta', 'La factura exenta (34) no lleva IVA.', ['34']),
  doc('afecta', 'Factura afecta', 'La factura afecta (33) lleva IVA de 19%.', ['33']),
  doc('afp', 'Cotización de AFP', 'La cotización obligatoria es 10% más comisión.', ['afp'], 'hr_payroll'),
  doc(
    'largo',
    'Guía larga',
    [
      'Resumen de la guía.',
      ...Array.from(
        { length: 8 },
        (_, i) => `## Parte ${i}\n${'texto de relleno '.repeat(30)}${i === 6 ? 'certificado digital vencido' : ''}`,
      ),
    ].join('\n\n'),
  ),
];

describe('KnowledgeIndex', () => {
  const index = new KnowledgeIndex(DOCS);

  it('ranks with accents and case folded', () => {
    expect(index.search('NOTA DE CREDITO')[0].id).toBe('nc');
    expect(index.search('cotizacion afp')[0].id).toBe('afp');
  });

  it.each([
    ['credto', 'nc'],
    ['facura exsenta', 'exenta'],
    ['cotisacion', 'afp'],
  ])('tolerates the typo in "%s"', (query, id) => {
    expect(index.search(query)[0].id).toBe(id);
  });

  it('matches numbers exactly: 33 and 34 never swap', () => {
    expect(index.search('33').map((h) => h.id)).toEqual(['afecta']);
    expect(index.search('34').map((h) => h.id)).toEqual(['exenta']);
  });

  it('filters by one module or several, and ignores "general"', () => {
    expect(index.search('cotización', { module: 'l10n_cl_dte' })).toEqual([]);
    expect(index.search('cotización', { module: ['hr_payroll', 'account'] })[0].id).toBe('afp');
    expect(index.search('factura', { module: 'general', topK: 5 }).length).toBeGreaterThan(1);
  });

  it('clamps topK to 1–20', () => {
    expect(index.search('factura', { topK: 0 })).toHaveLength(1);
    expect(index.search('la factura', { topK: 99 }).length).toBeLessThanOrEqual(20);
  });

  it('returns an excerpt around the matching section, or the whole body when asked', () => {
    const hit = index.search('certificado vencido', { maxContentChars: 600 })[0];
    expect(hit.id).toBe('largo');
    expect(hit.content).toContain('## Parte 6');
    expect(hit.content).toContain('Resumen de la guía.');
    expect(hit.content.length).toBeLessThanOrEqual(600);
    expect(index.search('certificado vencido', { maxContentChars: 0 })[0].content).toBe(DOCS[4].content);
  });

  it('serves a repeated query from its cache with the same hits, keyed by every option', () => {
    const fresh = new KnowledgeIndex(DOCS);
    const first = fresh.search('factura exenta', { topK: 2 });
    const again = fresh.search('la FACTURA exenta', { topK: 2 });
    expect(again).toEqual(first);
    again.pop();
    expect(fresh.search('factura exenta', { topK: 2 })).toHaveLength(first.length);
    expect(fresh.search('factura exenta', { topK: 1 })).toHaveLength(1);
    expect(fresh.search('certificado vencido', { maxContentChars: 600 })[0].content.length).toBeLessThanOrEqual(600);
    expect(fresh.search('certificado vencido', { maxContentChars: 0 })[0].content).toBe(DOCS[4].content);
    expect(fresh.search('cotización', { module: 'l10n_cl_dte' })).toEqual([]);
    expect(fresh.search('cotización', { module: 'hr_payroll' })[0].id).toBe('afp');
  });

  it(`keeps at most ${RESULT_CACHE_SIZE} cached answers and still answers beyond them`, () => {
    const fresh = new KnowledgeIndex(DOCS);
    for (let i = 0; i < RESULT_CACHE_SIZE + 50; i++) fresh.search(`factura ${i}`);
    expect((fresh as unknown as { resultCache: { size: number } }).resultCache.size).toBe(RESULT_CACHE_SIZE);
    expect(fresh.search('nota de credito')[0].id).toBe('nc');
  });

  it('evicts the least recently used answer, not the oldest: a question asked all day stays cached', () => {
    const fresh = new KnowledgeIndex(DOCS);
    const engine = jest.spyOn(fresh as unknown as { runSearch: () => unknown }, 'runSearch');
    fresh.search('nota de credito');
    for (let i = 0; i < RESULT_CACHE_SIZE * 2; i++) {
      fresh.search(`factura ${i}`);
      if (i % 100 === 0) fresh.search('nota de credito');
    }
    engine.mockClear();
    expect(fresh.search('nota de credito')[0].id).toBe('nc');
    expect(engine).not.toHaveBeenCalled();
    fresh.search('factura 0');
    expect(engine).toHaveBeenCalledTimes(1);
  });

  it('reports documents, distinct tags and the documents not reviewed in the last 12 months', () => {
    expect(index.stats(new Date('2026-12-06T10:00:00Z'))).toEqual({
      documents_count: 5,
      total_tags: 5,
      not_reviewed_last_12_months: 0,
      stale_documents: [],
    });
    // Every fixture was reviewed on 2026-01-15: on 2027-01-15 that is exactly 12 months ago (still fresh).
    expect(index.stats(new Date('2027-01-15T00:00:00Z')).not_reviewed_last_12_months).toBe(0);
    expect(index.stats(new Date('2027-01-16T00:00:00Z'))).toMatchObject({
      not_reviewed_last_12_months: 5,
      stale_documents: ['afecta', 'afp', 'exenta', 'largo', 'nc'],
    });
  });

  it('gives each hit the sources and review date of its document', () => {
    expect(index.search('factura exenta')[0]).toMatchObject({ sources: ['Fuente de exenta'], reviewed: '2026-01-15' });
  });
});

describe('KnowledgeIndex term weighting', () => {
  // A status document whose title carries the state word, and the how-to document whose title
  // carries the intent: the intent must win (the "anular una factura que el SII ya aceptó").
  const docs = [
    doc(
      'estados',
      'Factura aceptada o rechazada por el SII',
      'Estados del envío: aceptado, aceptado con reparos, rechazado.',
      ['aceptado'],
    ),
    doc('anular', 'Anular una factura', 'Una factura aceptada se anula con una nota de crédito.', ['anulacion']),
    ...Array.from({ length: 6 }, (_, i) =>
      doc(`relleno-${i}`, `Factura de relleno ${i}`, `Texto de factura número ${i}.`),
    ),
  ];
  const index = new KnowledgeIndex(docs, { resultCacheSize: 0 });

  it('ranks the document of the action above the one of the state', () => {
    expect(index.search('quiero anular una factura que el SII ya aceptó')[0].id).toBe('anular');
  });
});

describe('condenseQuery', () => {
  it('drops stop words and repeated terms and keeps the first spelling', () => {
    expect(condenseQuery('la factura, las facturas y la FACTURA exenta')).toBe('factura exenta');
  });

  it(`keeps at most ${MAX_QUERY_TERMS} distinct terms of a long chat message`, () => {
    const words = Array.from({ length: 100 }, (_, i) => `palabra${i}`).join(' ');
    expect(condenseQuery(words).split(' ')).toHaveLength(MAX_QUERY_TERMS);
  });
});
