import { freePort, waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { RunningApp, startApp } from '../helpers/test-app';
import { FakeSiiSite, SII_ITEMS_PER_PAGE } from './sii-site';

/** POST /api/ai/sii/monitor and GET /api/ai/sii/status over HTTP, with no LLM configured (offline). */
let redis: TestRedis;
let site: FakeSiiSite;
let app: RunningApp;
const TOTAL_ITEMS = Object.values(SII_ITEMS_PER_PAGE).reduce((a, b) => a + b, 0);

beforeAll(async () => {
  redis = await TestRedis.start();
  site = await FakeSiiSite.start();
  app = await startApp({
    REDIS_URL: redis.url(),
    SII_NEWS_URLS: site.urls.join(','),
    SII_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
  });
  await waitFor(async () => (await app.call('GET', '/health/ready')).status === 200);
});
afterAll(async () => {
  await app.close();
  await site.close();
  await redis.stop();
});
beforeEach(() => {
  redis.cli('-n', '1', 'FLUSHDB');
  site.reset();
});

describe('auth and validation', () => {
  it('requires the API key', async () => {
    expect((await app.call('POST', '/api/ai/sii/monitor', {}, { auth: false })).status).toBe(401);
    expect((await app.call('GET', '/api/ai/sii/status', undefined, { auth: 'nope' })).status).toBe(401);
    expect(site.requests).toEqual([]);
  });

  it.each([
    ['a non-URL', { urls: ['no es una url'] }, 'urls'],
    ['an ftp URL', { urls: ['ftp://www.sii.cl/x'] }, 'urls'],
    ['a string instead of a list', { urls: 'https://www.sii.cl/' }, 'urls'],
    ['more than 10 URLs', { urls: Array.from({ length: 11 }, (_, i) => `https://www.sii.cl/${i}`) }, 'urls'],
    ['an unknown field', { url: 'https://www.sii.cl/' }, 'url'],
    ['a host outside sii.cl and SII_NEWS_URLS (SSRF)', { urls: ['http://169.254.169.254/latest/meta-data/'] }, 'urls'],
    ['an internal service name', { urls: ['https://www.sii.cl/ok', 'http://redis:6379/'] }, 'urls'],
  ])('answers 400 naming the field for %s', async (_name, body, field) => {
    const r = await app.call('POST', '/api/ai/sii/monitor', body);
    expect(r.status).toBe(400);
    expect(r.json.field).toBe(field);
    expect(r.json.detail).toContain(`"${field}"`);
    expect(site.requests).toEqual([]);
  });

  it('answers 400 for a bad status limit', async () => {
    const r = await app.call('GET', '/api/ai/sii/status?limit=0');
    expect(r.status).toBe(400);
    expect(r.json.field).toBe('limit');
  });
});

describe('monitoring runs', () => {
  it('reads every configured page and stores each new item, without analysis when no LLM is configured', async () => {
    const r = await app.call('POST', '/api/ai/sii/monitor');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ trigger: 'api', llm_used: 'offline', deferred_items: 0, cost_usd: 0 });
    expect(r.json.pages).toEqual(
      site.urls.map((url) => ({
        url,
        ok: true,
        items_found: SII_ITEMS_PER_PAGE[new URL(url).pathname],
        new_items: SII_ITEMS_PER_PAGE[new URL(url).pathname],
      })),
    );
    expect(r.json.new_items).toHaveLength(TOTAL_ITEMS);
    const circular = r.json.new_items.find((i: { title: string }) => i.title.startsWith('Circular N° 52'));
    expect(circular).toMatchObject({
      link: site.url('/normativa_legislacion/circulares/2025/circu52.pdf'),
      date: '2025-11-17',
      summary: 'Circular N° 52 del 17 de Noviembre del 2025',
      urgency: 'unknown',
      analysis: 'offline',
      llm_used: 'offline',
      affected: [],
    });
    expect(circular.note).toMatch(/sin análisis/);
    expect(circular.id).toMatch(/^[0-9a-f]{16}$/);
    expect(r.json.new_items.map((i: { title: string }) => i.title)).toContain(
      'Nuevas validaciones en el envío de DTE: rechazo de documentos con RUT receptor inválido',
    );

    // Key layout
    expect(Number(redis.cli('-n', '1', 'LLEN', 'sii:news'))).toBe(TOTAL_ITEMS);
    expect(redis.cli('-n', '1', '--scan', '--pattern', 'sii:seen:*').split('\n')).toHaveLength(TOTAL_ITEMS);
    expect(JSON.parse(redis.cli('-n', '1', 'GET', `sii:news:${circular.id}`)).title).toBe(circular.title);
    expect(JSON.parse(redis.cli('-n', '1', 'GET', 'sii:last_run')).new_item_ids).toHaveLength(TOTAL_ITEMS);
  });

  it('skips items seen in an earlier run and picks up the one added since', async () => {
    expect((await app.call('POST', '/api/ai/sii/monitor', {})).json.new_items).toHaveLength(TOTAL_ITEMS);
    const second = await app.call('POST', '/api/ai/sii/monitor', {});
    expect(second.json.new_items).toEqual([]);
    expect(second.json.llm_used).toBe('none');
    expect(second.json.pages.every((p: { ok: boolean; new_items: number }) => p.ok && p.new_items === 0)).toBe(true);

    site.set('/factura_electronica/normativa.htm', {
      body: '<ul><li>24/11/2026 <a href="/factura_electronica/novedades/2026/nov_guias.htm">Nuevo plazo para guías de despacho electrónicas</a></li></ul>',
    });
    const third = await app.call('POST', '/api/ai/sii/monitor', {});
    expect(third.json.new_items.map((i: { title: string; date: string }) => [i.title, i.date])).toEqual([
      ['Nuevo plazo para guías de despacho electrónicas', '2026-11-24'],
    ]);
  });

  it('reports a page that cannot be read per URL and goes on with the others', async () => {
    const closedPort = await freePort();
    const down = `http://127.0.0.1:${closedPort}/noticias/index.htm`;
    site.set('/broken.htm', { body: 'Internal error', status: 500 });
    const urls = [down, site.url('/broken.htm'), site.url('/normativa_legislacion/circulares/2025/indcir2025.htm')];
    const r = await app.call('POST', '/api/ai/sii/monitor', { urls });
    expect(r.status).toBe(200);
    expect(r.json.pages[0]).toMatchObject({ url: down, ok: false, items_found: 0, new_items: 0 });
    expect(r.json.pages[0].error).toMatch(/rechazó la conexión \(ECONNREFUSED\)/);
    expect(r.json.pages[1]).toMatchObject({ ok: false, error: 'El sitio respondió HTTP 500.' });
    expect(r.json.pages[2]).toMatchObject({ ok: true, items_found: 3, new_items: 3 });
    expect(r.json.new_items).toHaveLength(3);
  });

  it('analyses at most 15 new items per run (bounded run time) and leaves the rest for the next one', async () => {
    const rows = Array.from(
      { length: 26 },
      (_, i) =>
        `<li>${String(i + 1).padStart(2, '0')}/10/2025 <a href="doc${i}.pdf">Resolución de prueba número ${i}</a></li>`,
    ).join('');
    site.set('/muchas.htm', { body: `<ul>${rows}</ul>` });
    const first = await app.call('POST', '/api/ai/sii/monitor', { urls: [site.url('/muchas.htm')] });
    expect(first.json).toMatchObject({ deferred_items: 11, pages: [{ items_found: 26, new_items: 15 }] });
    const second = await app.call('POST', '/api/ai/sii/monitor', { urls: [site.url('/muchas.htm')] });
    expect(second.json).toMatchObject({ deferred_items: 0, pages: [{ items_found: 26, new_items: 11 }] });
  });

  it('never analyses one item twice when runs overlap', async () => {
    const [a, b] = await Promise.all([
      app.call('POST', '/api/ai/sii/monitor', {}),
      app.call('POST', '/api/ai/sii/monitor', {}),
    ]);
    const ids = [...a.json.new_items, ...b.json.new_items].map((i: { id: string }) => i.id);
    expect(ids).toHaveLength(TOTAL_ITEMS);
    expect(new Set(ids).size).toBe(TOTAL_ITEMS);
  });

  it('shows the last run and the latest items with urgency in the status', async () => {
    const empty = await app.call('GET', '/api/ai/sii/status');
    expect(empty.json).toEqual({
      last_run: null,
      items_total: 0,
      by_urgency: { high: 0, medium: 0, low: 0, unknown: 0 },
      items: [],
    });
    const run = await app.call('POST', '/api/ai/sii/monitor', {});
    const r = await app.call('GET', '/api/ai/sii/status?limit=5');
    expect(r.status).toBe(200);
    expect(r.json.last_run).toMatchObject({
      run_at: run.json.run_at,
      trigger: 'api',
      llm_used: 'offline',
      pages: run.json.pages,
    });
    expect(r.json.items_total).toBe(TOTAL_ITEMS);
    expect(r.json.items).toHaveLength(5);
    expect(r.json.items[0].id).toBe(run.json.new_items[TOTAL_ITEMS - 1].id);
    expect(r.json.by_urgency.unknown).toBe(5);
  });

  it('answers 503 while Redis is down', async () => {
    await redis.stop();
    try {
      await waitFor(async () => (await app.call('POST', '/api/ai/sii/monitor', {})).status === 503);
      expect((await app.call('GET', '/api/ai/sii/status')).status).toBe(503);
    } finally {
      await redis.restart();
      await waitFor(async () => (await app.call('GET', '/health/ready')).status === 200);
    }
  });
});

it('documents both endpoints in Swagger with examples', async () => {
  const doc = (await app.call('GET', '/docs-json', undefined, { auth: false })).json;
  expect(doc.paths['/api/ai/sii/monitor'].post.responses['200']).toBeDefined();
  expect(doc.paths['/api/ai/sii/status'].get.responses['200']).toBeDefined();
  expect(doc.components.schemas.SiiMonitorRequestDto.properties.urls.example[0]).toMatch(/^https:\/\/www\.sii\.cl\//);
  expect(doc.components.schemas.SiiNewsItemDto.properties.urgency.enum).toEqual(['low', 'medium', 'high', 'unknown']);
});
