import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKnowledgeBase } from '../../src/knowledge/loading/knowledge-loader';
import { RunningApp, startApp } from '../helpers/test-app';

const KB_DIR = join(__dirname, '..', '..', 'knowledge-base');
const SEARCH = '/api/chat/knowledge/search';
const q = (params: Record<string, string>) => `${SEARCH}?${new URLSearchParams(params).toString()}`;

describe('GET /api/chat/knowledge/search and POST /api/chat/knowledge/reload', () => {
  describe('with the real knowledge base', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startApp({ KNOWLEDGE_BASE_DIR: KB_DIR });
    });
    afterAll(() => app.close());

    it('answers 401 without or with a wrong API key', async () => {
      expect((await app.call('GET', q({ query: 'factura' }), undefined, { auth: false })).status).toBe(401);
      const wrong = await app.call('GET', q({ query: 'factura' }), undefined, { auth: 'otra-clave' });
      expect(wrong.status).toBe(401);
      expect(wrong.json.detail).toEqual(expect.any(String));
      expect((await app.call('POST', '/api/chat/knowledge/reload', undefined, { auth: false })).status).toBe(401);
    });

    it('returns the contract shape, the credit-note document first, and 3 results by default', async () => {
      const res = await app.call('GET', q({ query: 'como emito una nota de credito' }));
      expect(res.status).toBe(200);
      expect(res.json.query).toBe('como emito una nota de credito');
      expect(res.json.results).toHaveLength(3);
      for (const r of res.json.results) {
        expect(Object.keys(r).sort()).toEqual([
          'content',
          'id',
          'module',
          'reviewed',
          'score',
          'sources',
          'tags',
          'title',
        ]);
        expect(r.tags).toEqual(expect.arrayContaining([expect.any(String)]));
        expect(r.content.length).toBeGreaterThan(100);
        expect(r.content.length).toBeLessThanOrEqual(2000);
        expect(r.score).toBeGreaterThan(0);
      }
      expect(res.json.results[0]).toMatchObject({ id: 'dte-61-nota-credito', module: 'l10n_cl_dte' });
      const scores = res.json.results.map((r: { score: number }) => r.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    });

    it('honours top_k and the module filter', async () => {
      expect((await app.call('GET', q({ query: 'factura', top_k: '7' }))).json.results).toHaveLength(7);
      const res = await app.call('GET', q({ query: 'plazo de pago', top_k: '20', module: 'hr_payroll' }));
      expect(res.status).toBe(200);
      expect(res.json.results.length).toBeGreaterThan(0);
      expect(res.json.results.every((r: { module: string }) => r.module === 'hr_payroll')).toBe(true);
      expect(res.json.results[0].id).toBe('payroll-previred');
    });

    it('answers 200 with no results when nothing matches', async () => {
      const res = await app.call('GET', q({ query: 'xylofono zzzqqq' }));
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ query: 'xylofono zzzqqq', results: [] });
    });

    it.each([
      ['missing query', {}, 'query'],
      ['empty query', { query: '' }, 'query'],
      ['blank query', { query: '   ' }, 'query'],
      ['query over 500 characters', { query: 'a'.repeat(501) }, 'query'],
      ['top_k 0', { query: 'factura', top_k: '0' }, 'top_k'],
      ['top_k 21', { query: 'factura', top_k: '21' }, 'top_k'],
      ['top_k not a number', { query: 'factura', top_k: 'tres' }, 'top_k'],
      ['top_k with decimals', { query: 'factura', top_k: '2.5' }, 'top_k'],
      ['unknown module', { query: 'factura', module: 'ventas' }, 'module'],
      ['unknown parameter', { query: 'factura', topk: '5' }, 'topk'],
    ])('answers 400 naming the field for %s', async (_case, params, field) => {
      const res = await app.call('GET', q(params));
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ statusCode: 400, error: 'Bad Request', field });
      expect(res.json.detail).toContain(`"${field}"`);
    });

    it('accepts a 500-character query', async () => {
      expect((await app.call('GET', q({ query: 'factura '.repeat(62) + 'iva' }))).status).toBe(200);
    });

    it('reports the real document and tag counts in /health', async () => {
      const base = await loadKnowledgeBase(KB_DIR);
      const tags = new Set(base.documents.flatMap((d) => d.tags)).size;
      expect(base.documents.length).toBeGreaterThanOrEqual(24);
      expect(tags).toBeGreaterThanOrEqual(30);
      const health = await app.call('GET', '/health', undefined, { auth: false });
      expect(health.json.checks.knowledge_base_loaded).toBe(true);
      expect(health.json.stats).toEqual({
        documents_count: base.documents.length,
        total_tags: tags,
        not_reviewed_last_12_months: 0,
        stale_documents: [],
      });
      expect((await app.call('GET', '/health/ready', undefined, { auth: false })).status).toBe(200);
    });

    it('is documented in Swagger with its parameters', async () => {
      const spec = (await app.call('GET', '/docs-json', undefined, { auth: false })).json;
      const op = spec.paths[SEARCH].get;
      expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['module', 'query', 'top_k']);
      expect(spec.paths['/api/chat/knowledge/reload'].post.responses['200']).toBeDefined();
    });
  });

  describe('reload without restart', () => {
    let dir: string;
    let app: RunningApp;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kb-e2e-'));
      for (const f of (await readdir(KB_DIR)).filter((f) => f.startsWith('dte-')).slice(0, 3))
        await copyFile(join(KB_DIR, f), join(dir, f));
      app = await startApp({ KNOWLEDGE_BASE_DIR: dir });
    });
    afterAll(async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('POST /reload answers 200 with the new counts and the new document is searchable', async () => {
      expect((await app.call('GET', '/health', undefined, { auth: false })).json.stats.documents_count).toBe(3);
      expect((await app.call('GET', q({ query: 'vacaciones proporcionales' }))).json.results).toEqual([]);
      await writeFile(
        join(dir, 'nuevo.md'),
        '---\nid: payroll-vacaciones\ntitle: "Vacaciones proporcionales en el finiquito"\ntags: [vacaciones, finiquito]\nmodule: hr_payroll\nsources: ["Ley de prueba, art. 1"]\nreviewed: 2026-11-30\n---\nLas vacaciones proporcionales se pagan en el finiquito según los días hábiles pendientes.\n',
      );
      await writeFile(
        join(dir, 'roto.md'),
        '---\nid: roto\ntitle: Roto\ntags: solo-texto\nmodule: account\nsources: ["Ley de prueba, art. 1"]\nreviewed: 2026-11-30\n---\nCuerpo del documento roto con texto suficiente.\n',
      );
      const res = await app.call('POST', '/api/chat/knowledge/reload');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        loaded: true,
        documents_count: 4,
        skipped: [{ file: 'roto.md', field: 'tags' }],
      });
      expect(res.json.total_tags).toBeGreaterThan(0);
      const found = await app.call('GET', q({ query: 'vacaciones proporcionales' }));
      expect(found.json.results[0].id).toBe('payroll-vacaciones');
      expect((await app.call('GET', '/health', undefined, { auth: false })).json.stats.documents_count).toBe(4);
    });

    it('/health names the documents not reviewed in the last 12 months', async () => {
      await writeFile(
        join(dir, 'antiguo.md'),
        '---\nid: payroll-topes-2024\ntitle: "Topes imponibles 2024"\ntags: [topes]\nmodule: hr_payroll\nsources: ["Superintendencia de Pensiones, topes 2024"]\nreviewed: 2024-02-01\n---\nLos topes imponibles de 2024 se informan aquí para mostrar un documento sin revisar.\n',
      );
      expect((await app.call('POST', '/api/chat/knowledge/reload')).status).toBe(200);
      const stats = (await app.call('GET', '/health', undefined, { auth: false })).json.stats;
      expect(stats).toMatchObject({ not_reviewed_last_12_months: 1, stale_documents: ['payroll-topes-2024'] });
      const hit = (await app.call('GET', q({ query: 'topes imponibles 2024' }))).json.results[0];
      expect(hit).toMatchObject({ id: 'payroll-topes-2024', reviewed: '2024-02-01' });
      expect(hit.sources).toEqual(['Superintendencia de Pensiones, topes 2024']);
    });
  });

  describe('with an empty folder', () => {
    let dir: string;
    let app: RunningApp;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kb-empty-'));
      app = await startApp({ KNOWLEDGE_BASE_DIR: dir });
    });
    afterAll(async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('starts, but is not ready, and search and reload answer 503 with a Spanish detail', async () => {
      const ready = await app.call('GET', '/health/ready', undefined, { auth: false });
      expect(ready.status).toBe(503);
      const health = await app.call('GET', '/health', undefined, { auth: false });
      expect(health.json.checks.knowledge_base_loaded).toBe(false);
      expect(health.json.stats).toMatchObject({ documents_count: 0, total_tags: 0, not_reviewed_last_12_months: 0 });
      const search = await app.call('GET', q({ query: 'factura' }));
      expect(search.status).toBe(503);
      expect(search.json.detail).toContain('base de conocimiento');
      const reload = await app.call('POST', '/api/chat/knowledge/reload');
      expect(reload.status).toBe(503);
      expect(reload.json.detail).toContain('base de conocimiento');
    });
  });
});
