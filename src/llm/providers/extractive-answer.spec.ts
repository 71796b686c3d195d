import { extractiveAnswer, normalize, pickSentences, queryTerms, sentencesOf } from './extractive-answer';

describe('extractive offline answer', () => {
  it.each([
    ['¿Cómo anulo una Factura?', ['anul', 'fact']],
    ['IVA del F29 de marzo', ['iva', 'f29', 'marz']],
    ['¿qué es?', []],
  ])('query terms of %s', (q, terms) => {
    expect(queryTerms(q)).toEqual(terms);
  });

  it('normalizes accents and punctuation', () => {
    expect(normalize('Crédito, Anulación!')).toBe('credito anulacion');
  });

  it('turns Markdown into sentences without headings marks, bullets, links, fences or tables', () => {
    const md =
      '# Título largo del documento\n\n- Primer punto de la lista con texto.\n\nVer [la guía del SII](http://x) para más detalles.\n\n```\ncode block here\n```\n| a | b |\n|---|---|';
    expect(sentencesOf(md)).toEqual([
      'Título largo del documento.',
      'Primer punto de la lista con texto.',
      'Ver la guía del SII para más detalles.',
    ]);
  });

  const passages = [
    {
      title: 'Notas de crédito',
      content:
        'Para anular una factura se emite una nota de crédito tipo 61. Esta frase habla de otra cosa completamente distinta.',
      score: 2,
    },
    {
      title: 'Boletas',
      content: 'Las boletas no se anulan con nota de crédito en todos los casos de factura.',
      score: 0.2,
    },
  ];

  it('picks the sentences that share the most query stems, weighted by passage score', () => {
    const picked = pickSentences('¿Cómo anulo una factura?', passages);
    expect(picked[0]).toMatchObject({
      title: 'Notas de crédito',
      sentence: 'Para anular una factura se emite una nota de crédito tipo 61.',
    });
    expect(picked.map((p) => p.sentence)).not.toContain('Esta frase habla de otra cosa completamente distinta.');
  });

  it('says it is an automatic answer without an AI model and names the documents', () => {
    const text = extractiveAnswer('¿Cómo anulo una factura?', passages);
    expect(text).toMatch(/^Respuesta automática sin modelo de IA/);
    expect(text).toContain('**Notas de crédito**\n- Para anular una factura');
  });

  it('admits when nothing matches', () => {
    expect(extractiveAnswer('empanadas de pino', passages)).toContain('no encontré información');
    expect(extractiveAnswer('hola', [])).toContain('no encontré información');
  });

  it('leads with the open record when there is one, even if the knowledge base has nothing', () => {
    const record = '- Tipo de documento: Factura Electrónica (DTE 33)\n- Folio: 456\n- Total: 119.000 CLP';
    const withKb = extractiveAnswer('como anulo una factura', passages, record);
    expect(withKb.indexOf('Datos del registro abierto en Odoo')).toBeLessThan(withKb.indexOf('**Notas de crédito**'));
    expect(withKb).toContain('Total: 119.000 CLP');
    const alone = extractiveAnswer('¿qué documento es este?', [], record);
    expect(alone).toContain('Factura Electrónica (DTE 33)');
    expect(alone).not.toContain('no encontré información');
    expect(alone).toContain('Respuesta automática sin modelo de IA');
  });
});
