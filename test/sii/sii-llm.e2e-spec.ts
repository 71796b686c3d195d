import { FakeAnthropic, RecordedRequest } from '../fakes/fake-anthropic';
import { waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { RunningApp, startApp } from '../helpers/test-app';
import { FakeSiiSite } from './sii-site';

/** The LLM path: the real LlmService and Anthropic SDK against the fake Anthropic server. */
let redis: TestRedis;
let site: FakeSiiSite;
let anthropic: FakeAnthropic;
let app: RunningApp;
let urls: string[];

const promptOf = (req: RecordedRequest) => JSON.stringify(req.body.messages);
const titleOf = (req: RecordedRequest) => /Título: ([^\\]+)/.exec(promptOf(req))?.[1] ?? '';

/** A model that reads the title it was given and answers the JSON the prompt asks for. */
const analyst = (req: RecordedRequest) => {
  const title = titleOf(req);
  const boleta = /boleta/i.test(title);
  return JSON.stringify({
    summary: `Resumen: ${title}`,
    affected: boleta ? ['emisores de boletas electrónicas'] : ['contribuyentes en general'],
    urgency: boleta ? 'high' : 'low',
    action: boleta ? 'Revisar la emisión de boletas en Odoo.' : 'Tomar conocimiento.',
  });
};

beforeAll(async () => {
  redis = await TestRedis.start();
  site = await FakeSiiSite.start();
  anthropic = await FakeAnthropic.start();
  urls = [
    site.url('/normativa_legislacion/circulares/2025/indcir2025.htm'),
    site.url('/factura_electronica/normativa.htm'),
  ];
  app = await startApp({
    REDIS_URL: redis.url(),
    SII_NEWS_URLS: urls.join(','),
    SII_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: anthropic.url,
    LLM_MAX_RETRIES: '0',
  });
  await waitFor(async () => (await app.call('GET', '/health/ready')).status === 200);
});
afterAll(async () => {
  await app.close();
  await anthropic.close();
  await site.close();
  await redis.stop();
});
beforeEach(() => {
  redis.cli('-n', '1', 'FLUSHDB');
  site.reset();
  anthropic.reset();
  anthropic.reply(analyst);
});

it('asks the model about each new item and stores its summary, affected parties and urgency', async () => {
  const r = await app.call('POST', '/api/ai/sii/monitor', {});
  expect(r.status).toBe(200);
  expect(r.json.llm_used).toBe('anthropic');
  expect(r.json.new_items).toHaveLength(6);
  expect(anthropic.requests).toHaveLength(6);

  const c52 = r.json.new_items.find((i: { title: string }) => i.title.startsWith('Circular N° 52'));
  expect(c52).toMatchObject({
    summary: 'Resumen: Circular N° 52 del 17 de Noviembre del 2025',
    affected: ['contribuyentes en general'],
    urgency: 'low',
    analysis: 'llm',
    llm_used: 'anthropic',
  });
  expect(c52.note).toBeUndefined();
  expect(c52.cost_usd).toBeGreaterThan(0);
  const b2c = r.json.new_items.find((i: { title: string }) => i.title.includes('boleta electrónica B2C'));
  expect(b2c).toMatchObject({ urgency: 'high', affected: ['emisores de boletas electrónicas'] });

  // What the model was given: the instructions and the item, with its excerpt.
  const req = anthropic.requests.find((q) => titleOf(q).startsWith('Circular N° 52'))!;
  expect(JSON.stringify(req.body.system)).toContain('Responde SOLO con un objeto JSON');
  expect(promptOf(req)).toContain('Imparte instrucciones sobre la obligación de emitir boleta electrónica');

  // Every call is priced under sii_monitoring.
  const costs = (await app.call('GET', '/metrics/costs')).json;
  expect(costs.by_operation.sii_monitoring.calls).toBe(6);
  expect(costs.by_operation.sii_monitoring.cost_usd).toBeCloseTo(r.json.cost_usd, 8);

  const status = (await app.call('GET', '/api/ai/sii/status')).json;
  expect(status.by_urgency).toMatchObject({ high: 1, low: 5, unknown: 0 });
  expect(status.last_run.llm_used).toBe('anthropic');

  // Nothing new: no model call at all.
  const again = await app.call('POST', '/api/ai/sii/monitor', {});
  expect(again.json).toMatchObject({ new_items: [], llm_used: 'none' });
  expect(anthropic.requests).toHaveLength(6);
});

it('stores a plain record, and says so, when the model answers something that is not the JSON asked for', async () => {
  anthropic.reply((req) =>
    titleOf(req).includes('Circular N° 51') ? 'Claro, aquí va un resumen: la circular cambia plazos.' : analyst(req),
  );
  const r = await app.call('POST', '/api/ai/sii/monitor', {});
  const c51 = r.json.new_items.find((i: { title: string }) => i.title.startsWith('Circular N° 51'));
  expect(c51).toMatchObject({ urgency: 'unknown', analysis: 'llm_malformed', summary: c51.title, affected: [] });
  expect(c51.note).toMatch(/no tuvo el formato esperado/);
  expect(r.json.new_items.filter((i: { analysis: string }) => i.analysis === 'llm')).toHaveLength(5);
  expect(r.json.llm_used).toBe('anthropic');
});

it('stores plain records when the provider is down, and the run still answers 200', async () => {
  anthropic.fault({ status: 500 });
  const r = await app.call('POST', '/api/ai/sii/monitor', {});
  expect(r.status).toBe(200);
  expect(r.json.new_items).toHaveLength(6);
  expect(r.json.llm_used).toBe('offline');
  for (const item of r.json.new_items) expect(item).toMatchObject({ urgency: 'unknown', llm_used: 'offline' });
  expect(r.json.new_items[0].note).toMatch(/sin análisis/);
});

it('asks the model about at most five items at a time', async () => {
  // Every answer is held for 3 s: a sixth request before one of them is answered would mean a sixth in flight.
  anthropic.latency({ firstByteMs: 3000 });
  const run = app.call('POST', '/api/ai/sii/monitor', {});
  await waitFor(() => anthropic.requests.length >= 5, 10_000, 20);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(anthropic.requests).toHaveLength(5);
  const r = await run;
  expect(anthropic.requests).toHaveLength(6);
  const asked = anthropic.requests.map(titleOf).sort();
  expect(r.json.new_items.map((i: { title: string }) => i.title).sort()).toEqual(asked);
});
