import { parseDocument } from './document-parser';

const BODY = 'Contenido suficiente para ser un documento útil de la base de conocimiento.';
const doc = (front: string, body = BODY) => `---\n${front}\n---\n${body}\n`;
const SOURCES = 'sources: ["DL 825, art. 55", "Resolución Exenta SII N° 45, de 2003"]\nreviewed: 2026-11-30';
const GOOD = `id: dte-prueba\ntitle: "Documento: prueba"\ntags: [dte, "33"]\nmodule: l10n_cl_dte\n${SOURCES}`;
const NOW = new Date('2026-12-06T12:00:00Z');

describe('parseDocument', () => {
  it('reads id, title, tags (lower-cased, deduplicated, numbers as text), module and body', () => {
    const r = parseDocument(
      'a.md',
      doc(`id: dte-prueba\ntitle: " Prueba "\ntags: [DTE, dte, 33]\nmodule: l10n_cl_dte\n${SOURCES}`, '\n\n' + BODY),
      NOW,
    );
    expect(r).toEqual({
      ok: true,
      document: {
        id: 'dte-prueba',
        title: 'Prueba',
        tags: ['dte', '33'],
        module: 'l10n_cl_dte',
        sources: ['DL 825, art. 55', 'Resolución Exenta SII N° 45, de 2003'],
        reviewed: '2026-11-30',
        content: BODY,
        file: 'a.md',
      },
    });
  });

  it.each([
    ['no front matter', `# Título\n${BODY}`, 'front_matter'],
    ['bad YAML', doc('id: x\ntitle: [sin cerrar\ntags: [a]\nmodule: account'), 'front_matter'],
    ['executable front matter', `---js\n{ id: 'x' }\n---\n${BODY}`, 'front_matter'],
    ['missing id', doc('title: T\ntags: [a]\nmodule: account'), 'id'],
    ['id with spaces', doc('id: mi documento\ntitle: T\ntags: [a]\nmodule: account'), 'id'],
    ['missing title', doc('id: doc-1\ntags: [a]\nmodule: account'), 'title'],
    ['empty title', doc('id: doc-1\ntitle: "  "\ntags: [a]\nmodule: account'), 'title'],
    ['tags not a list', doc('id: doc-1\ntitle: T\ntags: factura, iva\nmodule: account'), 'tags'],
    ['empty tag list', doc('id: doc-1\ntitle: T\ntags: []\nmodule: account'), 'tags'],
    ['tag that is an object', doc('id: doc-1\ntitle: T\ntags: [{a: 1}]\nmodule: account'), 'tags'],
    ['missing module', doc('id: doc-1\ntitle: T\ntags: [a]'), 'module'],
    ['module with spaces', doc('id: doc-1\ntitle: T\ntags: [a]\nmodule: Contabilidad General'), 'module'],
    ['empty body', doc(GOOD, ''), 'content'],
    ['no sources', doc(GOOD.replace(/sources: .*\n/, '')), 'sources'],
    ['sources as one string', doc(GOOD.replace(/sources: .*\n/, 'sources: DL 825\n')), 'sources'],
    ['an empty source list', doc(GOOD.replace(/sources: .*\n/, 'sources: []\n')), 'sources'],
    ['a blank source', doc(GOOD.replace(/sources: .*\n/, 'sources: ["DL 825", "  "]\n')), 'sources'],
    ['no review date', doc(GOOD.replace(/reviewed: .*/, '')), 'reviewed'],
    ['a review date that is not a day', doc(GOOD.replace(/reviewed: .*/, 'reviewed: noviembre')), 'reviewed'],
    ['an impossible day', doc(GOOD.replace(/reviewed: .*/, 'reviewed: "2026-02-30"')), 'reviewed'],
    ['a review in the future', doc(GOOD.replace(/reviewed: .*/, 'reviewed: 2027-03-01')), 'reviewed'],
  ])('refuses %s, naming the field', (_case, raw, field) => {
    const r = parseDocument('bad.md', raw, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.field).toBe(field);
      expect(r.problem.file).toBe('bad.md');
      expect(r.problem.reason.length).toBeGreaterThan(5);
    }
  });

  it('reads a quoted review date as well as a bare YAML date, and deduplicates sources', () => {
    const quoted = parseDocument(
      'q.md',
      doc(GOOD.replace(/reviewed: .*/, 'reviewed: "2026-12-07"').replace(/sources: .*/, 'sources: [a, a, b]')),
      NOW,
    );
    expect(quoted.ok && quoted.document).toMatchObject({ reviewed: '2026-12-07', sources: ['a', 'b'] });
  });

  it('parses the same text twice into independent objects (no shared cache)', () => {
    const a = parseDocument('a.md', doc(GOOD), NOW);
    const b = parseDocument('b.md', doc(GOOD), NOW);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      a.document.tags.push('mutado');
      expect(b.document.tags).toEqual(['dte', '33']);
      expect(b.document.file).toBe('b.md');
    }
  });
});
