import {
  buildReviewMessage,
  LLM_WARNING_PREFIX,
  MAX_LLM_WARNINGS,
  MAX_REVIEW_MESSAGE_CHARS,
  parseReview,
  summariseDte,
  summariseHistory,
} from './llm-review';

describe('LLM review parsing (strict)', () => {
  it('reads a well-formed verdict, prefixing warnings', () => {
    expect(parseReview('{"warnings":["El receptor tuvo 3 rechazos por giro"],"confidence":72,"notes":"ok"}')).toEqual({
      warnings: [`${LLM_WARNING_PREFIX}El receptor tuvo 3 rechazos por giro`],
      confidence: 72,
      notes: 'ok',
    });
  });

  it('accepts one surrounding ```json fence, absent notes and extra keys', () => {
    expect(parseReview('```json\n{"warnings":[],"confidence":90,"extra":1}\n```')).toEqual({
      warnings: [],
      confidence: 90,
      notes: '',
    });
  });

  it(`keeps at most ${MAX_LLM_WARNINGS} non-empty warnings`, () => {
    const review = parseReview(JSON.stringify({ warnings: ['a', ' ', 'b', 'c', 'd', 'e', 'f'], confidence: 50 }));
    expect(review!.warnings).toHaveLength(MAX_LLM_WARNINGS);
  });

  it.each([
    ['not json'],
    ['Claro, aquí va: {"warnings":[],"confidence":80}'],
    ['[]'],
    ['null'],
    ['{"warnings":"none","confidence":80}'],
    ['{"warnings":[1],"confidence":80}'],
    ['{"warnings":[],"confidence":"80"}'],
    ['{"warnings":[],"confidence":140}'],
    ['{"warnings":[],"confidence":-1}'],
    ['{"warnings":[]}'],
    ['{"warnings":[],"confidence":80,"notes":{"a":1}}'],
  ])('refuses %p', (text) => {
    expect(parseReview(text)).toBeNull();
  });
});

describe('bounded prompt material', () => {
  it('summarises a huge DTE within bounds, known fields first, extra keys kept', () => {
    const dte: Record<string, unknown> = {
      tipo_dte: 33,
      folio: 1,
      razon_social_emisor: 'X'.repeat(5000),
      monto_total: 119000,
    };
    for (let i = 0; i < 200; i++) dte[`x_campo_${i}`] = `valor ${i}`;
    dte.items = Array.from({ length: 500 }, (_, i) => ({ nombre: `Ítem ${i}`, monto_item: 100 }));
    const summary = summariseDte(dte);
    expect(summary.length).toBeLessThanOrEqual(4000);
    expect(summary.indexOf('tipo_dte')).toBeLessThan(summary.indexOf('x_campo_0'));
    expect(summary).toContain('x_campo_0');
    expect(summary).not.toContain('x_campo_199');
  });

  it('shows only the most recent rejections, each clipped', () => {
    const history = Array.from({ length: 100 }, (_, i) => ({ folio: i, motivo: `motivo ${i} ${'z'.repeat(1000)}` }));
    const text = summariseHistory(history);
    expect(text).toContain('"folio":99');
    expect(text).not.toContain('"folio":79,');
    expect(text).toContain('100 rechazos');
    expect(text.length).toBeLessThan(20 * 260 + 200);
    expect(summariseHistory([])).toBe('Sin rechazos anteriores registrados.');
  });

  it("puts the rules' findings in the message so the model does not repeat them", () => {
    const msg = buildReviewMessage(
      { tipo_dte: 33 },
      [],
      [{ rule: 'iva', field: 'monto_iva', severity: 'error', message: 'IVA mal' }],
    );
    expect(msg).toContain('[error] IVA mal');
  });

  it('caps the message however many findings, history entries and fields there are', () => {
    const dte = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`campo_${i}`, 'x'.repeat(1000)]));
    const history = Array.from({ length: 100 }, () => 'r'.repeat(1000));
    const findings = Array.from({ length: 200 }, (_, i) => ({
      rule: 'montos' as const,
      field: `impuestos_adicionales[${i}].monto`,
      severity: 'error' as const,
      message: 'm'.repeat(2000),
    }));
    const msg = buildReviewMessage(dte, history, findings);
    expect(msg.length).toBeLessThanOrEqual(MAX_REVIEW_MESSAGE_CHARS);
    expect(msg).toContain('… y 180 hallazgos más.');
  });
});
