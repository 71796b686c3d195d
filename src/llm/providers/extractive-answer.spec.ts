import { extractiveAnswer, normalize, pickSentences, queryTerms, sentencesOf, unitsOf } from './extractive-answer';

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

  it('turns Markdown into sentences without heading marks, bullets, links or fences; headings are never sentences', () => {
    const md =
      '# Título largo del documento\n\n- Primer punto de la lista con texto.\n\nVer [la guía del SII](http://x) para más detalles.\n\n```\ncode block here\n```\n| a | b |\n|---|---|';
    expect(sentencesOf(md)).toEqual(['Primer punto de la lista con texto.', 'Ver la guía del SII para más detalles.']);
  });

  it('keeps each sentence with its section heading, reads table rows, and keeps a leaning sentence with the one before', () => {
    const md = [
      'La guía resume cada caso según el estado del documento.',
      '## 1. El documento aún no se envía al SII',
      'Si está en borrador, corríjalo libremente; todavía no tiene folio.',
      '## 3. El SII lo aceptó',
      '| Error | Solución |',
      '|---|---|',
      '| Cobró de más: precio o cantidad | **Nota de crédito, código 3**, por la diferencia |',
      'Una factura aceptada no se borra. Esto vale también para las boletas aceptadas.',
    ].join('\n');
    expect(unitsOf(md)).toEqual([
      { heading: '', sentence: 'La guía resume cada caso según el estado del documento.' },
      {
        heading: '1. El documento aún no se envía al SII',
        sentence: 'Si está en borrador, corríjalo libremente; todavía no tiene folio.',
      },
      {
        heading: '3. El SII lo aceptó',
        sentence: 'Cobró de más: precio o cantidad — Nota de crédito, código 3, por la diferencia.',
      },
      {
        heading: '3. El SII lo aceptó',
        sentence: 'Una factura aceptada no se borra. Esto vale también para las boletas aceptadas.',
      },
    ]);
  });

  const passages = [
    {
      title: 'Notas de crédito',
      content:
        'Para anular una factura se emite una nota de crédito tipo 61. Otra frase habla de una cosa completamente distinta.',
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
    expect(picked.map((p) => p.sentence)).not.toContain('Otra frase habla de una cosa completamente distinta.');
  });

  it('leads with the best sentence of the best document, with its heading as context, and lists the sources', () => {
    const docs = [
      {
        title: 'Anular o corregir un DTE',
        content:
          'Lo que se puede hacer depende del estado del documento.\n\n## 1. El documento aún no se envía al SII\n\nSi está en borrador, corríjalo libremente.\n\n## 3. El SII lo aceptó\n\nUna factura aceptada se anula con una nota de crédito código 1.',
        score: 90,
        sources: ['DL 825, art. 57'],
        reviewed: '2026-12-06',
      },
      {
        title: 'Envío al SII',
        content: 'El SII responde con un estado: aceptado o rechazado, y la factura aceptada es válida.',
        score: 80,
      },
    ];
    const text = extractiveAnswer('quiero anular una factura que el SII ya aceptó', docs);
    const firstBullet = text.split('\n').find((l) => l.startsWith('- '));
    expect(firstBullet).toBe(
      '- *3. El SII lo aceptó:* Una factura aceptada se anula con una nota de crédito código 1.',
    );
    expect(text.indexOf('**Anular o corregir un DTE**')).toBeLessThan(text.indexOf('**Envío al SII**'));
    expect(text).not.toMatch(/^- (\d+\. )?El documento aún no se envía al SII\.?$/m);
    expect(text).toContain('**Fuentes**\n- Anular o corregir un DTE: DL 825, art. 57 (revisado 2026-12-06)');
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
