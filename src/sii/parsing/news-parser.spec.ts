import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeHtml } from './decode-html';
import { extractNews } from './news-parser';
import { dateFromNewsCode, parseSpanishDate, withoutDate } from './spanish-date';

const fixture = (name: string, contentType?: string) =>
  decodeHtml(readFileSync(join(__dirname, '../../../test/sii/fixtures', name)), contentType);

describe('parseSpanishDate', () => {
  it.each([
    ['Circular N° 52 del 17 de Noviembre del 2025', '2025-11-17'],
    ['14 de noviembre de 2025', '2025-11-14'],
    ['3 de septiembre, 2025', '2025-09-03'],
    ['1 setiembre 2025', '2025-09-01'],
    ['14 nov. 2025', '2025-11-14'],
    ['20-11-2025', '2025-11-20'],
    ['28/10/2025', '2025-10-28'],
    ['5.3.2025', '2025-03-05'],
    ['publicado 2025-10-02', '2025-10-02'],
    ['31/02/2025', null],
    ['Ley N° 21.713', null],
    ['sin fecha', null],
    ['12 de marzoo de 2025', null],
  ])('%s → %s', (text, iso) => {
    expect(parseSpanishDate(text)).toBe(iso);
  });

  it('reads the date of an SII news code', () => {
    expect(dateFromNewsCode('https://www.sii.cl/noticias/2025/141125noti02aav.htm')).toBe('2025-11-14');
    expect(dateFromNewsCode('https://www.sii.cl/noticias/2025/index.htm')).toBeNull();
  });

  it('removes the date from a row text', () => {
    expect(withoutDate('115 28/10/2025 Fija el procedimiento')).toBe('115 Fija el procedimiento');
  });
});

describe('decodeHtml', () => {
  const latin1 = Buffer.from('<p>Resolución</p>', 'latin1');
  it('uses the Content-Type charset, then the meta tag, then sniffs', () => {
    expect(decodeHtml(latin1, 'text/html; charset=ISO-8859-1')).toBe('<p>Resolución</p>');
    expect(decodeHtml(Buffer.from('<meta charset="iso-8859-1"><p>Resolución</p>', 'latin1'))).toContain('Resolución');
    expect(decodeHtml(latin1)).toBe('<p>Resolución</p>');
    expect(decodeHtml(Buffer.from('<p>Resolución</p>', 'utf8'))).toBe('<p>Resolución</p>');
    expect(decodeHtml(Buffer.from('<p>Operación</p>', 'utf8'), 'text/html; charset=nonsense')).toBe('<p>Operación</p>');
  });
});

describe('extractNews', () => {
  it('reads the sii.cl news index from its script array (ISO-8859-1, meta charset)', () => {
    const url = 'https://www.sii.cl/noticias/2025/index.htm';
    const items = extractNews(fixture('noticias-2025.html', 'text/html'), url);
    expect(items.map((i) => [i.title, i.link, i.date])).toEqual([
      [
        'SII recuerda plazo para declarar y pagar el IVA de noviembre con Formulario 29',
        'https://www.sii.cl/noticias/2025/201125noti01pcr.htm',
        '2025-11-20',
      ],
      [
        'Nuevas validaciones en el envío de DTE: rechazo de documentos con RUT receptor inválido',
        'https://www.sii.cl/noticias/2025/141125noti02aav.htm',
        '2025-11-14',
      ],
      [
        'SII publica calendario de la Operación Renta 2026 y cambios para emisores de boletas',
        'https://www.sii.cl/noticias/2025/031125noti01jo.htm',
        '2025-11-03',
      ],
      [
        'Resolución sobre facturación de servicios digitales',
        'https://www.sii.cl/noticias/2025/281025noti01cr.htm',
        '2025-10-28',
      ],
    ]);
  });

  it('reads circulars laid out as heading + summary, skipping menus, breadcrumbs and footers', () => {
    const url = 'https://www.sii.cl/normativa_legislacion/circulares/2025/indcir2025.htm';
    const items = extractNews(fixture('circulares-2025.html'), url);
    expect(items.map((i) => i.title)).toEqual([
      'Circular N° 52 del 17 de Noviembre del 2025',
      'Circular N° 51 del 3 de Noviembre del 2025',
      'Circular N° 50 del 30 de Octubre del 2025',
    ]);
    expect(items[0]).toMatchObject({
      link: 'https://www.sii.cl/normativa_legislacion/circulares/2025/circu52.pdf',
      date: '2025-11-17',
      source_url: url,
    });
    expect(items[0].excerpt).toMatch(
      /^Imparte instrucciones sobre la obligación de emitir boleta electrónica.*Subdirección Normativa/,
    );
  });

  it('reads resolutions laid out as a table of number, date and subject (ISO-8859-1)', () => {
    const url = 'https://www.sii.cl/normativa_legislacion/resoluciones/2025/res_ind2025.htm';
    const items = extractNews(fixture('resoluciones-2025.html', 'text/html'), url);
    expect(items.map((i) => [i.title, i.date])).toEqual([
      ['Resolución Ex. SII N° 128', '2025-11-20'],
      ['Resolución Ex. SII N° 121', '2025-11-05'],
      ['115 Fija el procedimiento de anulación de folios CAF no utilizados.', '2025-10-28'],
    ]);
    expect(items[0].excerpt).toContain('esquema XML del DTE tipo 52');
  });

  it('reads lists with dates beside, before (dt) or without links to documents', () => {
    const url = 'https://www.sii.cl/factura_electronica/normativa.htm';
    const items = extractNews(fixture('factura-electronica-normativa.html'), url);
    expect(items.map((i) => [i.title, i.date])).toEqual([
      ['Nueva representación impresa de la boleta electrónica B2C', '2025-11-12'],
      ['Cambios en el Registro Electrónico de Cesión de Créditos', '2025-10-02'],
      ['Actualización de códigos de aduana para documentos de exportación (DTE 110, 111 y 112)', '2025-08-14'],
    ]);
  });

  it('survives pages without news, broken markup and hostile links', () => {
    expect(extractNews('', 'https://www.sii.cl/')).toEqual([]);
    expect(extractNews('<html><body><p>Mantención programada</p>', 'https://www.sii.cl/')).toEqual([]);
    const broken =
      '<ul><li>01/02/2025 <a href="javascript:alert(1)">Script</a><li>02/02/2025 <a href="http://[::1">Malformada</a><li>03/02/2025 <a href="doc.pdf">Documento importante del SII';
    expect(extractNews(broken, 'https://www.sii.cl/x/').map((i) => i.link)).toEqual(['https://www.sii.cl/x/doc.pdf']);
  });

  it('caps the number of items per page', () => {
    const rows = Array.from(
      { length: 300 },
      (_, i) => `<li>01/02/2025 <a href="n${i}.pdf">Documento número ${i} del SII</a></li>`,
    ).join('');
    expect(extractNews(`<ul>${rows}</ul>`, 'https://www.sii.cl/')).toHaveLength(100);
  });
});
