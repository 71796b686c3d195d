import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { FakeAnthropic } from '../fakes/fake-anthropic';
import { FakeOpenAI } from '../fakes/fake-openai';
import { TestRedis } from '../helpers/redis-server';
import { sleep, waitFor } from '../helpers/ports';
import { RunningApp, startApp } from '../helpers/test-app';
import { contentText, metricValue, parseSse, SEED_NEW_SESSION, seedMessage } from './chat-helpers';
import { invoiceRecord } from './invoice-record';

const systemBlocks = (body: any): string[] =>
  Array.isArray(body.system) ? body.system.map((b: any) => b.text) : [String(body.system ?? '')];

/** Counts answers the fake could not finish because its client (our service) hung up. */
function watchEarlyCloses(fake: FakeAnthropic) {
  const counter = { closedEarly: 0 };
  const server = (fake as unknown as { server: Server }).server;
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    res.on('close', () => {
      if (!res.writableEnded) counter.closedEarly++;
    });
  });
  return counter;
}

/** A chat turn through the real LLM layer and official SDKs, against fake Anthropic/OpenAI servers. */
describe('chat turns through the LLM layer (fake providers)', () => {
  let redis: TestRedis;
  let anthropic: FakeAnthropic;
  let openai: FakeOpenAI;
  let svc: RunningApp;
  let closes: { closedEarly: number };

  beforeAll(async () => {
    [redis, anthropic, openai] = await Promise.all([TestRedis.start(), FakeAnthropic.start(), FakeOpenAI.start()]);
    closes = watchEarlyCloses(anthropic);
    svc = await startApp({
      REDIS_URL: redis.url(),
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: anthropic.url,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openai.url,
      CHAT_MAX_CONTEXT_MESSAGES: '3',
      LLM_MAX_RETRIES: '0',
      LLM_BREAKER_THRESHOLD: '100',
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200);
  });
  afterAll(async () => {
    await svc?.close();
    await Promise.all([anthropic?.close(), openai?.close(), redis?.stop()]);
  });
  beforeEach(() => {
    anthropic.reset();
    openai.reset();
    anthropic.reply('Respuesta de prueba desde Anthropic falso.');
  });

  const newSession = async () =>
    (await svc.call('POST', '/api/chat/session/new', SEED_NEW_SESSION)).json.session_id as string;

  it('answers from Anthropic with the plugin prompt, the documents it cites and the user context in their places', async () => {
    const id = await newSession();
    const before = (await svc.call('GET', '/metrics', undefined, { auth: false })).text;
    const r = await svc.call('POST', '/api/chat/message', seedMessage(id));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      message: 'Respuesta de prueba desde Anthropic falso.',
      llm_used: 'anthropic',
      plugin: 'l10n_cl_dte',
      session_id: id,
    });
    expect(r.json.tokens_used.input_tokens).toBeGreaterThan(0);
    expect(r.json.tokens_used.total_tokens).toBe(r.json.tokens_used.input_tokens + r.json.tokens_used.output_tokens);
    expect(r.json.cost_usd).toBeGreaterThan(0);
    expect(r.json.sources.length).toBeGreaterThan(0);

    const body = anthropic.lastRequest!.body;
    const [system, context, volatile] = systemBlocks(body);
    expect(system).toContain('documentos tributarios electrónicos');
    for (const [i, title] of r.json.sources.entries()) expect(context).toContain(`### Documento ${i + 1}: ${title}`);
    // `sources` keeps Odoo's shape (titles); `references` adds the laws and resolutions behind each one,
    // which the model also receives next to each document so it can cite them.
    expect(r.json.references.map((ref: { title: string }) => ref.title)).toEqual(r.json.sources);
    for (const ref of r.json.references) {
      expect(ref.sources.length).toBeGreaterThan(0);
      expect(ref.reviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(context).toContain(`Fuentes (revisado ${ref.reviewed}): ${ref.sources.join('; ')}`);
    }
    expect(body.system[1].cache_control).toEqual({ type: 'ephemeral' });
    expect(volatile).toContain('Test Company (RUT 12345678-9)');
    expect(volatile).toContain('rol: Administrador');
    expect(body.messages.map((m: any) => contentText(m.content))).toEqual(['¿Cómo genero un DTE 33?']);
    // Stable prefix: nothing per-request (ids, timestamps) before the cache breakpoint.
    expect(system + context).not.toContain(id);

    const after = (await svc.call('GET', '/metrics', undefined, { auth: false })).text;
    const counter = /^chat_messages_total\{llm="anthropic"\}/;
    expect(metricValue(after, counter) - metricValue(before, counter)).toBe(1);
  });

  it('sends only the last CHAT_MAX_CONTEXT_MESSAGES messages (3) plus the new question', async () => {
    anthropic.reply((req) => `eco: ${contentText(req.body.messages.at(-1).content)}`);
    const id = await newSession();
    for (const q of ['p1', 'p2', 'p3', 'p4'])
      expect((await svc.call('POST', '/api/chat/message', { session_id: id, message: q })).status).toBe(200);
    anthropic.reset();
    await svc.call('POST', '/api/chat/message', { session_id: id, message: 'p5' });
    const messages = anthropic.lastRequest!.body.messages.map((m: any) => [m.role, contentText(m.content)]);
    // Stored: p1 e1 p2 e2 p3 e3 p4 e4 → last 3 = e3 p4 e4; the opening assistant turn is dropped.
    expect(messages).toEqual([
      ['user', 'p4'],
      ['assistant', 'eco: p4'],
      ['user', 'p5'],
    ]);
  });

  it('answers the wizard\'s "¿Qué tipo de documento es este y cuál es su total?" from a bounded summary of a 150+ field invoice', async () => {
    const record = invoiceRecord(180);
    expect(Object.keys(record).length).toBeGreaterThan(150);
    const r = await svc.call('POST', '/api/chat', {
      message: '¿Qué tipo de documento es este y cuál es su total?',
      session_id: 'chat_2_9f8e7d6c',
      stream: true,
      context: {
        user: {
          id: 2,
          name: 'Mitchell Admin',
          login: 'admin',
          company_id: 1,
          company_name: 'Test Company',
          language: 'es_CL',
        },
        odoo: { active_model: 'account.move', active_id: 42, active_record_name: 'FAC 000123' },
        session_id: 'chat_2_9f8e7d6c',
        active_record_data: record,
        module: 'l10n_cl_dte',
      },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ session_id: 'chat_2_9f8e7d6c', plugin: 'l10n_cl_dte', llm_used: 'anthropic' });
    const volatile = systemBlocks(anthropic.lastRequest!.body).at(-1)!;
    expect(volatile).toContain('Factura Electrónica (DTE 33)');
    expect(volatile).toContain('Total: 119.000 CLP');
    expect(volatile).toContain('Cliente Ejemplo SpA');
    expect(volatile.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(record).length).toBeGreaterThan(volatile.length * 3);
  });

  it('answers the seed\'s "¿Qué tipo de documento es este?" when the invoice comes in user_context', async () => {
    const r = await svc.call('POST', '/api/chat/message', {
      message: '¿Qué tipo de documento es este?',
      user_context: {
        company_name: 'Test Company',
        module: 'l10n_cl_dte',
        current_invoice: {
          dte_type: '33',
          folio: 123,
          partner_id: [7, 'Cliente Ejemplo SpA'],
          amount_total: 119000,
          state: 'posted',
        },
      },
    });
    expect(r.status).toBe(200);
    const volatile = systemBlocks(anthropic.lastRequest!.body).at(-1)!;
    expect(volatile).toContain('Factura Electrónica (DTE 33)');
    expect(volatile).toContain('Folio: 123');
  });

  it('falls back to OpenAI, then to offline, and says so in llm_used', async () => {
    anthropic.fault({ status: 529 });
    openai.reply('Respuesta de prueba desde OpenAI falso.');
    const viaOpenai = await svc.call('POST', '/api/chat/message', { message: '¿Cómo genero un DTE 33?' });
    expect(viaOpenai.status).toBe(200);
    expect(viaOpenai.json).toMatchObject({ llm_used: 'openai', message: 'Respuesta de prueba desde OpenAI falso.' });
    expect(openai.requests.length).toBeGreaterThan(0);

    openai.fault({ status: 500 });
    const offline = await svc.call('POST', '/api/chat/message', { message: '¿Cómo genero un DTE 33?' });
    expect(offline.status).toBe(200);
    expect(offline.json.llm_used).toBe('offline');
    expect(offline.json.confidence).toBeLessThan(viaOpenai.json.confidence);
    anthropic.fault(null);
    openai.fault(null);
  });

  it('streams the provider deltas, then done, and saves the exchange once complete', async () => {
    anthropic.reply('Uno dos tres cuatro cinco seis.');
    const id = await newSession();
    const r = await svc.call('POST', '/api/chat/message/stream', seedMessage(id));
    const events = parseSse(r.text);
    const deltas = events.filter((e) => e.event === 'delta').map((e) => e.data.text);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe('Uno dos tres cuatro cinco seis.');
    expect(events.at(-1)).toMatchObject({
      event: 'done',
      data: { llm_used: 'anthropic', message: 'Uno dos tres cuatro cinco seis.', session_id: id },
    });
    expect(anthropic.lastRequest!.body.stream).toBe(true);
    expect((await svc.call('GET', `/api/chat/session/${id}`)).json.stats.message_count).toBe(2);
  });

  it('reports a provider failure after output started as event: error, and saves nothing', async () => {
    anthropic.reply('Uno dos tres cuatro cinco seis siete ocho.');
    anthropic.fault({ streamCutAfter: 2 });
    const id = await newSession();
    const r = await svc.call('POST', '/api/chat/message/stream', seedMessage(id));
    expect(r.status).toBe(200);
    const events = parseSse(r.text);
    expect(events.filter((e) => e.event === 'delta').length).toBeGreaterThan(0);
    expect(events.at(-1)!.event).toBe('error');
    expect(events.at(-1)!.data).toEqual({
      code: expect.any(String),
      detail: expect.stringMatching(/intente nuevamente/),
    });
    expect(events.some((e) => e.event === 'done')).toBe(false);
    expect((await svc.call('GET', `/api/chat/session/${id}`)).json.stats.message_count).toBe(0);
  });

  it('records a client that hangs up before the JSON answer as 499 (client closed request), never as a 400', async () => {
    anthropic.latency({ firstByteMs: 3000 });
    const id = await newSession();
    const metrics = async () => (await svc.call('GET', '/metrics', undefined, { auth: false })).text;
    const series = (code: string) =>
      new RegExp(`^http_request_duration_seconds_count\\{.*route="/api/chat/message",status_code="${code}"\\}`);
    const before = await metrics();
    const closedBefore = closes.closedEarly;
    const controller = new AbortController();
    const gone = fetch(`${svc.url}/api/chat/message`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(seedMessage(id)),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await waitFor(() => anthropic.requests.length > 0, 3000);
    controller.abort();
    expect(await gone).toMatchObject({ name: 'AbortError' });
    await waitFor(() => closes.closedEarly > closedBefore, 3000);
    await waitFor(async () => metricValue(await metrics(), series('499')) > metricValue(before, series('499')), 3000);
    const after = await metrics();
    expect(metricValue(after, series('400'))).toBe(metricValue(before, series('400')));
    expect((await svc.call('GET', `/api/chat/session/${id}`)).json.stats.message_count).toBe(0);
  });

  it('cancels the provider call when the client disconnects mid-stream and saves no partial answer', async () => {
    anthropic.reply(Array.from({ length: 40 }, (_, i) => `palabra${i}`).join(' '));
    anthropic.latency({ chunkMs: 100 });
    const id = await newSession();
    const closedBefore = closes.closedEarly;
    const controller = new AbortController();
    const res = await fetch(`${svc.url}/api/chat/message/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(seedMessage(id)),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('event: delta');
    controller.abort();
    await reader.cancel().catch(() => undefined);

    // The fake saw its answer cut short, long before the 4 s it needed to finish.
    await waitFor(() => closes.closedEarly > closedBefore, 3000);
    await sleep(4500);
    const view = await svc.call('GET', `/api/chat/session/${id}`);
    expect(view.json.stats.message_count).toBe(0);
    expect(view.json.messages).toEqual([]);
  });
});
