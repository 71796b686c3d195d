import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKnowledgeBase } from './knowledge-loader';

const BODY = 'Texto del documento con contenido suficiente para indexarlo y buscarlo.';
const mdDoc = (id: string, extra = '') =>
  `---\nid: ${id}\ntitle: "Título ${id}"\ntags: [prueba, ${id}]\nmodule: account\nsources: ["Ley de prueba, art. 1"]\nreviewed: 2026-11-30\n${extra}---\n${BODY}\n`;

describe('loadKnowledgeBase', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kb-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('loads every valid document, sub-folders included, and ignores README and hidden files', async () => {
    await writeFile(join(dir, 'uno.md'), mdDoc('uno'));
    await mkdir(join(dir, 'nomina'));
    await writeFile(join(dir, 'nomina', 'dos.md'), mdDoc('dos'));
    await writeFile(join(dir, 'README.md'), '# Cómo escribir documentos');
    await writeFile(join(dir, '.borrador.md'), mdDoc('oculto'));
    await writeFile(join(dir, 'notas.txt'), 'no es markdown');
    const base = await loadKnowledgeBase(dir);
    expect(base.documents.map((d) => d.id).sort()).toEqual(['dos', 'uno']);
    expect(base.documents.find((d) => d.id === 'dos')!.file).toBe(join('nomina', 'dos.md'));
    expect(base.skipped).toEqual([]);
    expect(base.folderError).toBeUndefined();
  });

  it('skips malformed documents with the file and field, and keeps the good ones', async () => {
    await writeFile(join(dir, 'bueno.md'), mdDoc('bueno'));
    await writeFile(join(dir, 'yaml-roto.md'), `---\nid: roto\ntitle: "sin cerrar\ntags: [a]\n---\n${BODY}`);
    await writeFile(
      join(dir, 'sin-titulo.md'),
      `---\nid: sin-titulo\ntags: [a]\nmodule: account\nsources: ["Ley de prueba, art. 1"]\nreviewed: 2026-11-30\n---\n${BODY}`,
    );
    await writeFile(
      join(dir, 'tags-texto.md'),
      `---\nid: tags-texto\ntitle: T\ntags: factura\nmodule: account\nsources: ["Ley de prueba, art. 1"]\nreviewed: 2026-11-30\n---\n${BODY}`,
    );
    const base = await loadKnowledgeBase(dir);
    expect(base.documents.map((d) => d.id)).toEqual(['bueno']);
    expect(base.skipped.map(({ file, field }) => ({ file, field }))).toEqual([
      { file: 'sin-titulo.md', field: 'title' },
      { file: 'tags-texto.md', field: 'tags' },
      { file: 'yaml-roto.md', field: 'front_matter' },
    ]);
  });

  it('keeps the first of two documents with the same id and reports the second', async () => {
    await writeFile(join(dir, 'a.md'), mdDoc('repetido'));
    await writeFile(join(dir, 'b.md'), mdDoc('repetido'));
    const base = await loadKnowledgeBase(dir);
    expect(base.documents.map((d) => d.file)).toEqual(['a.md']);
    expect(base.skipped).toEqual([{ file: 'b.md', field: 'id', reason: expect.stringContaining('a.md') }]);
  });

  it('returns nothing for an empty folder', async () => {
    expect(await loadKnowledgeBase(dir)).toEqual({ documents: [], skipped: [] });
  });

  it('reports a missing folder instead of throwing', async () => {
    const base = await loadKnowledgeBase(join(dir, 'no-existe'));
    expect(base.documents).toEqual([]);
    expect(base.folderError).toBe('folder does not exist');
  });

  it('reports a path that is a file, not a folder', async () => {
    await writeFile(join(dir, 'archivo.md'), mdDoc('x'));
    expect((await loadKnowledgeBase(join(dir, 'archivo.md'))).folderError).toBe('not a directory');
  });
});
