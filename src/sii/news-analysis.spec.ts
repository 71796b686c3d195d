import { analysisPrompt, parseAnalysis } from './news-analysis';

const good = {
  summary: 'Se exige boleta electrónica en pagos con tarjeta.',
  affected: ['emisores de boletas electrónicas'],
  urgency: 'high',
  action: 'Revisar la configuración de boletas en Odoo.',
};

describe('parseAnalysis', () => {
  it.each([
    ['a plain JSON object', JSON.stringify(good), good],
    ['a fenced JSON object', '```json\n' + JSON.stringify(good) + '\n```', good],
    ['Spanish urgency in capitals', JSON.stringify({ ...good, urgency: 'Alta' }), { ...good, urgency: 'high' }],
    [
      'a single affected string',
      JSON.stringify({ ...good, affected: 'exportadores' }),
      { ...good, affected: ['exportadores'] },
    ],
    ['an empty affected list', JSON.stringify({ ...good, affected: [] }), { ...good, affected: [] }],
  ])('accepts %s', (_name, raw, expected) => {
    expect(parseAnalysis(raw)).toEqual(expected);
  });

  it.each([
    ['prose', 'La circular afecta a los emisores de boletas.'],
    ['JSON with prose around it', 'Claro: ' + JSON.stringify(good)],
    ['truncated JSON', JSON.stringify(good).slice(0, 40)],
    ['an array', JSON.stringify([good])],
    ['an unknown urgency', JSON.stringify({ ...good, urgency: 'critical' })],
    ['a missing summary', JSON.stringify({ ...good, summary: '' })],
    ['a missing action', JSON.stringify({ ...good, action: undefined })],
    ['affected with numbers', JSON.stringify({ ...good, affected: [1, 2] })],
    ['affected as an object', JSON.stringify({ ...good, affected: { a: 1 } })],
    ['an empty answer', ''],
  ])('rejects %s', (_name, raw) => {
    expect(parseAnalysis(raw)).toBeNull();
  });

  it('bounds long fields', () => {
    const a = parseAnalysis(JSON.stringify({ ...good, summary: 'x'.repeat(5000), affected: Array(40).fill('pymes') }))!;
    expect(a.summary).toHaveLength(1200);
    expect(a.affected).toHaveLength(10);
  });
});

describe('analysisPrompt', () => {
  it('gives the model the title, date, link and a bounded excerpt', () => {
    const p = analysisPrompt({
      title: 'Circular N° 52',
      link: 'https://www.sii.cl/c.pdf',
      date: '2025-11-17',
      excerpt: 'y'.repeat(5000),
      source_url: 'https://www.sii.cl/',
    });
    expect(p).toContain('Título: Circular N° 52');
    expect(p).toContain('Fecha: 2025-11-17');
    expect(p).toContain('Enlace: https://www.sii.cl/c.pdf');
    expect(p.length).toBeLessThan(1700);
  });
});

describe('parseAnalysis with names of Object.prototype members', () => {
  it.each(['constructor', 'toString', '__proto__'])('refuses urgency "%s"', (urgency) => {
    expect(
      parseAnalysis(JSON.stringify({ summary: 'Cambio', action: 'Revisar', urgency, affected: ['todos'] })),
    ).toBeNull();
  });
});
