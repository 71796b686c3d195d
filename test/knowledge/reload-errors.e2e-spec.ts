import { copyFile, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningApp, startApp } from '../helpers/test-app';

const KB_DIR = join(__dirname, '..', '..', 'knowledge-base');

/**
 * A reload that cannot read the folder answers 503 with a Spanish sentence of its own: the
 * filesystem's error text (absolute paths, errno names) goes to the log for the operator, never
 * to the API caller, and the previous index keeps serving.
 */
describe('POST /api/chat/knowledge/reload when the folder cannot be read', () => {
  let root: string;
  let app: RunningApp;
  const dir = () => join(root, 'parent', 'kb');

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kb-reload-'));
    await mkdir(dir(), { recursive: true });
    for (const f of (await readdir(KB_DIR)).filter((f) => f.startsWith('dte-')).slice(0, 2))
      await copyFile(join(KB_DIR, f), join(dir(), f));
    app = await startApp({ KNOWLEDGE_BASE_DIR: dir() });
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    [
      'a file where a folder of its path was (ENOTDIR)',
      async () => {
        await rm(join(root, 'parent'), { recursive: true, force: true });
        await writeFile(join(root, 'parent'), 'not a folder');
      },
    ],
    [
      'a symbolic-link loop (ELOOP)',
      async () => {
        await rm(join(root, 'parent'), { recursive: true, force: true });
        await mkdir(join(root, 'parent'));
        await symlink(join(root, 'parent', 'kb'), join(root, 'parent', 'kb'));
      },
    ],
  ])('answers 503 without the filesystem error text for %s', async (_what, breakFolder) => {
    await breakFolder();
    const res = await app.call('POST', '/api/chat/knowledge/reload');
    expect(res.status).toBe(503);
    expect(res.json.code).toBe('KNOWLEDGE_NOT_LOADED');
    expect(res.json.detail).toMatch(/No se pudo cargar la base de conocimiento/);
    expect(res.text).not.toContain(root);
    expect(res.text).not.toMatch(/ENOTDIR|ELOOP|stat '|errno/);
    // The previous index still answers.
    const search = await app.call('GET', '/api/chat/knowledge/search?query=factura');
    expect(search.status).toBe(200);
    expect(search.json.results.length).toBeGreaterThan(0);
  });
});
