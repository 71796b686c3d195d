import {
  analyze,
  analyzeQueryTerm,
  analyzeTerm,
  foldAccents,
  MEMO_LIMIT,
  memoSizes,
  tokenize,
} from './spanish-analyzer';

describe('spanish analyzer', () => {
  it.each([
    ['Crédito', 'credito'],
    ['NÚMERO', 'numero'],
    ['guía', 'guia'],
    ['Año', 'ano'],
  ])('folds accents and case: %s → %s', (input, out) => {
    expect(foldAccents(input)).toBe(out);
  });

  it.each([
    // accented and unaccented spellings meet in one stem
    ['liquidación', 'liquidacion'],
    ['facturación', 'facturacion'],
    ['exportación', 'exportacion'],
    ['crédito', 'credito'],
    ['emisión', 'emision'],
    // inflections meet too
    ['facturas', 'factura'],
    ['folios', 'folio'],
    ['exentas', 'exento'],
    ['rechazado', 'rechazo'],
    ['liquidaciones', 'liquidación'],
  ])('%s and %s share a term', (a, b) => {
    expect(analyzeTerm(a)).toBe(analyzeTerm(b));
    expect(analyzeTerm(a)).not.toBeNull();
  });

  it.each(['de', 'la', 'cómo', 'que', 'una', 'los', 'para', 'y', 'x'])('drops stop word or lone letter "%s"', (w) => {
    expect(analyzeTerm(w)).toBeNull();
  });

  it.each([
    ['33', '33'],
    ['F29', 'f29'],
    ['19.983', null],
  ])('keeps document codes and numbers whole: %s', (input, out) => {
    if (out) expect(analyzeTerm(input)).toBe(out);
    else expect(analyze(input)).toEqual(['19', '983']);
  });

  it('tokenizes on punctuation and keeps digits, including parameter names', () => {
    expect(tokenize('l10n_cl_dte.ai_service_url (¿timeout?)')).toEqual([
      'l10n',
      'cl',
      'dte',
      'ai',
      'service',
      'url',
      'timeout',
    ]);
  });

  it('analyzes a whole question to its meaningful stems', () => {
    expect(analyze('¿Cómo emito una nota de crédito?')).toEqual(['emit', 'not', 'credit']);
  });

  it('searches the other seseo spelling of -sión/-ción words', () => {
    expect(analyzeQueryTerm('exportasion')).toEqual([analyzeTerm('exportasion'), analyzeTerm('exportación')]);
    expect(analyzeQueryTerm('folios')).toEqual(['foli']);
    expect(analyzeQueryTerm('de')).toBeNull();
  });

  it(`keeps at most ${MEMO_LIMIT} memoised tokens and answers the same after a flood of new words`, () => {
    const before = [analyzeTerm('facturación'), analyzeTerm('de'), analyzeQueryTerm('exportasion')];
    for (let i = 0; i < MEMO_LIMIT + 100; i++) {
      analyzeTerm(`palabra${i}x`);
      analyzeQueryTerm(`palabra${i}x`);
    }
    expect(memoSizes()).toEqual({ terms: MEMO_LIMIT, queryTerms: MEMO_LIMIT });
    expect([analyzeTerm('facturación'), analyzeTerm('de'), analyzeQueryTerm('exportasion')]).toEqual(before);
  });
});
