import { buildExcerpt, splitSections, truncate } from './sections';

const MD = [
  '# Título que se omite',
  'Párrafo inicial que resume el documento.',
  '',
  '## Paso a paso',
  '1. Abra la factura.',
  '2. Pulse Nota de crédito.',
  '',
  '```',
  '## esto no es un encabezado',
  '```',
  '',
  '## Errores frecuentes',
  'Sin referencia: el SII rechaza.',
  '',
  '### Detalle',
  'Texto del detalle.',
].join('\n');

describe('splitSections', () => {
  it('splits at ##/### headings, keeps the lead, drops the # title and ignores code fences', () => {
    const s = splitSections(MD);
    expect(s.map((x) => x.heading)).toEqual(['', 'Paso a paso', 'Errores frecuentes', 'Detalle']);
    expect(s[0].text).toBe('Párrafo inicial que resume el documento.');
    expect(s[1].text).toContain('## esto no es un encabezado');
    expect(s.map((x) => x.index)).toEqual([0, 1, 2, 3]);
  });
});

describe('truncate', () => {
  it.each([
    ['corto', 10, 'corto'],
    ['Primera frase. Segunda frase más larga que no cabe.', 20, 'Primera frase.…'],
  ])('cuts %j at %i at a sentence end', (text, max, out) => {
    expect(truncate(text, max)).toBe(out);
  });

  it('never returns more than the budget', () => {
    expect(truncate('x'.repeat(500), 100).length).toBeLessThanOrEqual(100);
  });
});

describe('buildExcerpt', () => {
  const long = [
    'Lead del documento.',
    ...Array.from({ length: 6 }, (_, i) => `## Sección ${i + 1}\n${'palabra '.repeat(60)}`),
  ].join('\n\n');

  it('returns the whole document when it fits or when the budget is 0', () => {
    expect(buildExcerpt(MD, [], 10_000)).toBe(MD);
    expect(buildExcerpt(long, [3], 0)).toBe(long);
  });

  it('keeps the lead and the best-ranked sections, in document order, within the budget', () => {
    const out = buildExcerpt(long, [5, 2], 1200);
    expect(out.startsWith('Lead del documento.')).toBe(true);
    expect(out.indexOf('## Sección 2')).toBeLessThan(out.indexOf('## Sección 5'));
    expect(out).not.toContain('## Sección 1');
    expect(out.length).toBeLessThanOrEqual(1200);
  });

  it('shows the best section even when it must be cut', () => {
    const out = buildExcerpt(long, [4], 200);
    expect(out).toContain('## Sección 4');
    expect(out.length).toBeLessThanOrEqual(200);
  });

  it('falls back to the sections in order when none matched', () => {
    expect(buildExcerpt(long, [], 900)).toContain('## Sección 1');
  });
});
