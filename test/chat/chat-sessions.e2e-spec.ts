import { Logger } from '@nestjs/common';
import { TestRedis } from '../helpers/redis-server';
import { waitFor } from '../helpers/ports';
import { RunningApp, startApp } from '../helpers/test-app';
import { invoiceRecord } from './invoice-record';
import { allKeys, metricValue, SEED_NEW_SESSION, seedMessage, ttlOf, UUID } from './chat-helpers';

/** Sessions against a real Redis: the Odoo client's calls, ids, TTL, concurrency, outage. No LLM key: offline answers. */
describe('chat sessions over real Redis', () => {
  let redis: TestRedis;
  let svc: RunningApp;
  /** Every structured event the app logs through Nest's Logger (what pino writes as JSON lines). */
  const logged: Record<string, unknown>[] = [];

  beforeAll(async () => {
    for (const level of ['log', 'warn', 'error', 'debug'] as const) {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(this) below
      const original = Logger.prototype[level];
      jest.spyOn(Logger.prototype, level).mockImplementation(function (this: Logger, message: any, ...rest: any[]) {
        if (message && typeof message === 'object') logged.push(message);
        return original.call(this, message, ...rest);
      });
    }
    redis = await TestRedis.start();
    svc = await startApp({ REDIS_URL: redis.url(), CHAT_SESSION_TTL: '600', RATE_LIMIT_PER_MINUTE: '100000' });
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await svc?.close();
    await redis?.stop();
  });

  const newSession = async (body: unknown = SEED_NEW_SESSION) => {
    const r = await svc.call('POST', '/api/chat/session/new', body);
    expect(r.status).toBe(200);
    return r.json.session_id as string;
  };

  it("runs the seed's flow as Odoo sends it: new → message → GET → DELETE → 404", async () => {
    const created = await svc.call('POST', '/api/chat/session/new', SEED_NEW_SESSION);
    expect(created.status).toBe(200);
    expect(created.json.session_id).toMatch(UUID);
    expect(created.json.welcome_message).toMatch(
      /^¡Hola! Soy tu asistente especializado en facturación electrónica chilena de Test Company/,
    );
    expect(created.json.welcome_message).toContain('Administrador');
    const id = created.json.session_id;

    const answer = await svc.call('POST', '/api/chat/message', seedMessage(id));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      message: expect.any(String),
      sources: expect.any(Array),
      references: expect.any(Array),
      confidence: expect.any(Number),
      session_id: id,
      llm_used: 'offline',
      tokens_used: {
        input_tokens: expect.any(Number),
        output_tokens: expect.any(Number),
        total_tokens: expect.any(Number),
      },
      plugin: 'l10n_cl_dte',
      cost_usd: 0,
    });
    expect(answer.json.message.length).toBeGreaterThan(0);
    expect(answer.json.confidence).toBeGreaterThanOrEqual(0);
    expect(answer.json.confidence).toBeLessThanOrEqual(100);

    const view = await svc.call('GET', `/api/chat/session/${id}`);
    expect(view.status).toBe(200);
    expect(view.json.session_id).toBe(id);
    expect(view.json.messages).toEqual([
      { role: 'user', content: '¿Cómo genero un DTE 33?', timestamp: expect.any(String) },
      { role: 'assistant', content: answer.json.message, timestamp: expect.any(String) },
    ]);
    expect(view.json.stats).toEqual({
      message_count: 2,
      created_at: expect.any(String),
      last_activity: expect.any(String),
    });
    expect(view.json.user_context).toEqual(SEED_NEW_SESSION.user_context);
    expect(view.json.ttl_seconds).toBeGreaterThan(590);
    expect(view.json.ttl_seconds).toBeLessThanOrEqual(600);
    expect(allKeys(redis)).toEqual(
      expect.arrayContaining([`chat:session:${id}:history`, `chat:session:${id}:context`]),
    );
    expect(redis.cli('-n', '1', 'llen', `chat:session:${id}:history`)).toBe('2');

    const deleted = await svc.call('DELETE', `/api/chat/session/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ session_id: id, deleted: true });
    expect(allKeys(redis).filter((k) => k.includes(id))).toEqual([]);

    for (const [method, path, body] of [
      ['GET', `/api/chat/session/${id}`, undefined],
      ['DELETE', `/api/chat/session/${id}`, undefined],
      ['POST', '/api/chat/message', seedMessage(id)],
      ['POST', '/api/chat/message/stream', seedMessage(id)],
    ] as const) {
      const r = await svc.call(method, path, body);
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toContain('application/json');
      expect(r.json.detail).toMatch(/nueva conversación/);
    }
    expect(allKeys(redis).filter((k) => k.includes(id))).toEqual([]);
  });

  it('starts a new session when /api/chat/message has no session_id (also Odoo False/null)', async () => {
    for (const session_id of [undefined, false, null, '']) {
      const r = await svc.call('POST', '/api/chat/message', {
        session_id,
        message: 'Hola',
        user_context: { company_name: 'ACME' },
      });
      expect(r.status).toBe(200);
      expect(r.json.session_id).toMatch(UUID);
      const view = await svc.call('GET', `/api/chat/session/${r.json.session_id}`);
      expect(view.json.messages).toHaveLength(2);
      expect(view.json.user_context.company_name).toBe('ACME');
    }
  });

  it('never creates a session under an unknown id outside /api/chat', async () => {
    const r = await svc.call('POST', '/api/chat/message', { session_id: 'chat_9_deadbeef', message: 'Hola' });
    expect(r.status).toBe(404);
    expect(allKeys(redis).filter((k) => k.includes('chat_9_deadbeef'))).toEqual([]);
  });

  it('merges user_context over turns and keeps every extra key Odoo sends', async () => {
    const id = await newSession({
      user_context: { company_name: 'A', environment: 'certificacion', x_custom: { a: 1 } },
    });
    await svc.call('POST', '/api/chat/message', {
      session_id: id,
      message: 'Hola',
      user_context: { user_role: 'Contador', odoo_version: '19.0' },
    });
    const view = await svc.call('GET', `/api/chat/session/${id}`);
    expect(view.json.user_context).toEqual({
      company_name: 'A',
      environment: 'certificacion',
      x_custom: { a: 1 },
      user_role: 'Contador',
      odoo_version: '19.0',
    });
  });

  it('continues a caller-named wizard session through /api/chat', async () => {
    const sessionId = 'chat_7_0a1b2c3d';
    const context = {
      user: { id: 7, name: 'Ana', login: 'ana', company_id: 1, company_name: 'ACME SpA', language: 'es_CL' },
      odoo: { active_model: 'res.partner', active_id: 3, active_record_name: 'Cliente' },
      session_id: sessionId,
      active_record_data: { name: 'Cliente', vat: '76.123.456-7' },
      module: 'general',
    };
    const first = await svc.call('POST', '/api/chat', {
      message: '¿Qué puedo hacer aquí?',
      session_id: sessionId,
      context,
      stream: true,
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/json');
    expect(first.json.session_id).toBe(sessionId);
    expect(typeof first.json.message).toBe('string');
    expect(ttlOf(redis, `chat:session:${sessionId}:context`)).toBeGreaterThan(590);

    const second = await svc.call('POST', '/api/chat', {
      message: '¿Y cómo emito una factura?',
      session_id: sessionId,
      context,
      stream: false,
    });
    expect(second.status).toBe(200);
    expect(second.json.session_id).toBe(sessionId);
    const view = await svc.call('GET', `/api/chat/session/${sessionId}`);
    expect(view.json.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(view.json.user_context.company_name).toBe('ACME SpA');
    expect(view.json.user_context.session_id).toBeUndefined();

    // Once it exists, the other endpoints accept it too.
    expect((await svc.call('POST', '/api/chat/message', { session_id: sessionId, message: 'Gracias' })).status).toBe(
      200,
    );
  });

  it('serves a 128-character caller-named id on every endpoint once /api/chat started it', async () => {
    const id = `chat_${'x'.repeat(123)}`;
    expect(id).toHaveLength(128);
    expect((await svc.call('POST', '/api/chat', { message: 'Hola', session_id: id })).json.session_id).toBe(id);
    expect((await svc.call('GET', `/api/chat/session/${id}`)).status).toBe(200);
    expect((await svc.call('DELETE', `/api/chat/session/${id}`)).json).toEqual({ session_id: id, deleted: true });
  });

  it('/api/chat without any session id starts a UUID session', async () => {
    const r = await svc.call('POST', '/api/chat', { message: 'Hola' });
    expect(r.status).toBe(200);
    expect(r.json.session_id).toMatch(UUID);
  });

  it.each([
    ['a path traversal', '../x'],
    ['200 characters', 'a'.repeat(200)],
    ['a colon', 'a:b'],
    ['a space', 'a b'],
    ['a key pattern', 'chat:session:*'],
    ['a non-ASCII letter', 'ñ'],
  ])('refuses a session id with %s with a 400 naming session_id and no Redis key', async (_label, bad) => {
    const before = allKeys(redis).length;
    const calls = [
      svc.call('POST', '/api/chat/message', { session_id: bad, message: 'Hola' }),
      svc.call('POST', '/api/chat/message/stream', { session_id: bad, message: 'Hola' }),
      svc.call('POST', '/api/chat', { session_id: bad, message: 'Hola' }),
      svc.call('POST', '/api/chat', { message: 'Hola', context: { session_id: bad } }),
      svc.call('GET', `/api/chat/session/${encodeURIComponent(bad)}`),
      svc.call('DELETE', `/api/chat/session/${encodeURIComponent(bad)}`),
    ];
    for (const r of await Promise.all(calls)) {
      expect(r.status).toBe(400);
      expect(r.json.detail).toContain('session_id');
      expect(r.json.field).toBe('session_id');
    }
    expect(allKeys(redis).length).toBe(before);
    expect(allKeys(redis).some((k) => k.includes(bad))).toBe(false);
  });

  it.each([
    ['no message', {}, 'message'],
    ['an empty message', { message: '' }, 'message'],
    ['a blank message', { message: '   ' }, 'message'],
    ['a 4001-character message', { message: 'x'.repeat(4001) }, 'message'],
    ['a numeric message', { message: 42 }, 'message'],
    ['a string user_context', { message: 'Hola', user_context: 'empresa' }, 'user_context'],
    ['an array user_context', { message: 'Hola', user_context: [1, 2] }, 'user_context'],
    ['an unknown field', { message: 'Hola', unexpected: 1 }, 'unexpected'],
  ])('refuses /api/chat/message with %s, naming the field', async (_label, body, field) => {
    const r = await svc.call('POST', '/api/chat/message', body);
    expect(r.status).toBe(400);
    expect(r.json.detail).toContain(`"${field}"`);
  });

  it.each([
    ['a non-boolean stream', { message: 'Hola', stream: 'yes' }, 'stream'],
    ['a string context', { message: 'Hola', context: 'x' }, 'context'],
    ['a 4001-character message', { message: 'x'.repeat(4001) }, 'message'],
  ])('refuses /api/chat with %s, naming the field', async (_label, body, field) => {
    const r = await svc.call('POST', '/api/chat', body);
    expect(r.status).toBe(400);
    expect(r.json.detail).toContain(`"${field}"`);
  });

  it('accepts a 4000-character message', async () => {
    const r = await svc.call('POST', '/api/chat/message', { message: 'á'.repeat(4000) });
    expect(r.status).toBe(200);
  });

  it('sets CHAT_SESSION_TTL on both keys and refreshes it on use', async () => {
    const id = await newSession();
    await svc.call('POST', '/api/chat/message', seedMessage(id));
    const keys = [`chat:session:${id}:context`, `chat:session:${id}:history`];
    for (const k of keys) {
      expect(ttlOf(redis, k)).toBeGreaterThan(590);
      redis.cli('-n', '1', 'expire', k, '30');
    }
    await svc.call('POST', '/api/chat/message', seedMessage(id));
    for (const k of keys) expect(ttlOf(redis, k)).toBeGreaterThan(590);
    for (const k of keys) redis.cli('-n', '1', 'expire', k, '30');
    const view = await svc.call('GET', `/api/chat/session/${id}`);
    expect(view.json.ttl_seconds).toBeGreaterThan(590);
    for (const k of keys) expect(ttlOf(redis, k)).toBeGreaterThan(590);
  });

  it('answers 404 once Redis has expired the session', async () => {
    const id = await newSession();
    await svc.call('POST', '/api/chat/message', seedMessage(id));
    // Same mechanism as CHAT_SESSION_TTL running out (the config floor is 60 s): Redis drops the keys.
    for (const k of [`chat:session:${id}:context`, `chat:session:${id}:history`])
      redis.cli('-n', '1', 'pexpire', k, '300');
    await waitFor(() => allKeys(redis).every((k) => !k.includes(id)), 5000);
    const r = await svc.call('POST', '/api/chat/message', seedMessage(id));
    expect(r.status).toBe(404);
    expect(r.json.detail).toMatch(/expiró|no existe/);
    expect((await svc.call('GET', `/api/chat/session/${id}`)).status).toBe(404);
  });

  it('keeps every one of 100 concurrent messages on one session', async () => {
    const id = await newSession();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        svc.call('POST', '/api/chat/message', { session_id: id, message: `pregunta número ${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(redis.cli('-n', '1', 'llen', `chat:session:${id}:history`)).toBe('200');
    const view = await svc.call('GET', `/api/chat/session/${id}`);
    expect(view.json.stats.message_count).toBe(200);
    const questions = view.json.messages
      .filter((m: any) => m.role === 'user')
      .map((m: any) => m.content)
      .sort();
    expect(questions).toEqual(Array.from({ length: 100 }, (_, i) => `pregunta número ${i}`).sort());
  });

  it('picks the plugin from the module hint, then keywords, then default', async () => {
    const ask = async (message: string, user_context?: object) =>
      (await svc.call('POST', '/api/chat/message', { message, user_context })).json.plugin;
    expect(await ask('Hola', { module: 'hr_payroll' })).toBe('hr_payroll');
    expect(await ask('¿Cómo hago la conciliación bancaria?')).toBe('account');
    expect(await ask('¿Cómo ajusto el inventario de la bodega?')).toBe('stock');
    expect(await ask('¿Cómo anulo una nota de credito?')).toBe('l10n_cl_dte');
    expect(await ask('Hola, ¿qué tal?')).toBe('default');
    const wizard = await svc.call('POST', '/api/chat', { message: 'Hola', context: { module: 'purchase' } });
    expect(wizard.json.plugin).toBe('stock');
  });

  it("logs the seed's events with sizes and ids, never the message text", async () => {
    const events = (name: string) => logged.filter((l) => l.event === name);
    expect(events('chat_engine_initialized')[0]).toMatchObject({ max_context_messages: 10 });
    const secret = 'Mi clave secreta es 7x9-PLUTON';
    const r = await svc.call('POST', '/api/chat/message', { message: secret, user_context: { module: 'l10n_cl_dte' } });
    const id = r.json.session_id;
    const of = (name: string) => events(name).filter((l) => l.session_id === id);
    expect(of('chat_message_received')).toEqual([
      expect.objectContaining({ session_id: id, message_length: secret.length }),
    ]);
    expect(of('plugin_selected')).toEqual([expect.objectContaining({ plugin: 'l10n_cl_dte', reason: 'module_hint' })]);
    expect(of('knowledge_base_searched')).toEqual([expect.objectContaining({ docs_found: expect.any(Number) })]);
    expect(of('chat_message_completed')).toEqual([
      expect.objectContaining({
        llm_used: 'offline',
        latency_ms: expect.any(Number),
        message_length: secret.length,
        plugin: 'l10n_cl_dte',
        plugin_reason: 'module_hint',
        docs_found: expect.any(Number),
      }),
    ]);
    await svc.call('POST', '/api/chat/message', { session_id: id, message: 'Hola, ¿qué tal?' });
    expect(of('plugin_selected')).toHaveLength(2); // the module hint stays in the session context
    const other = (await svc.call('POST', '/api/chat/message', { message: 'Hola, ¿qué tal?' })).json.session_id;
    expect(events('plugin_fallback_to_default').some((l) => l.session_id === other)).toBe(true);
    expect(JSON.stringify(logged)).not.toContain('PLUTON');
  });

  it('documents every chat endpoint in OpenAPI with the Odoo bodies as examples', async () => {
    const doc = (await svc.call('GET', '/docs-json', undefined, { auth: false })).json;
    const paths = doc.paths;
    for (const [path, method] of [
      ['/api/chat/session/new', 'post'],
      ['/api/chat/message', 'post'],
      ['/api/chat/message/stream', 'post'],
      ['/api/chat', 'post'],
      ['/api/chat/session/{id}', 'get'],
      ['/api/chat/session/{id}', 'delete'],
    ]) {
      expect(paths[path]?.[method]).toBeDefined();
      expect(Object.keys(paths[path][method].responses)).toContain('200');
    }
    const wizard = paths['/api/chat'].post.requestBody.content['application/json'].examples.wizard.value;
    expect(wizard.context.active_record_data.amount_total).toBe(119000);
    expect(paths['/api/chat/session/new'].post.requestBody.content['application/json'].examples.odoo.value).toEqual(
      SEED_NEW_SESSION,
    );
    expect(paths['/api/chat/message/stream'].post.responses['200'].content).toHaveProperty(['text/event-stream']);
  });

  it('counts messages by llm and times them in /metrics', async () => {
    const before = (await svc.call('GET', '/metrics', undefined, { auth: false })).text;
    await svc.call('POST', '/api/chat/message', { message: 'Hola' });
    const after = (await svc.call('GET', '/metrics', undefined, { auth: false })).text;
    const counter = /^chat_messages_total\{llm="offline"\}/;
    expect(metricValue(after, counter) - metricValue(before, counter)).toBe(1);
    const count = /^chat_response_duration_seconds_count/;
    expect(metricValue(after, count) - metricValue(before, count)).toBe(1);
  });

  it('answers 503 with Retry-After while Redis is down, never 500, and recovers by itself', async () => {
    const id = await newSession();
    await redis.stop();
    try {
      const calls = await Promise.all([
        svc.call('POST', '/api/chat/session/new', SEED_NEW_SESSION),
        svc.call('POST', '/api/chat/message', seedMessage(id)),
        svc.call('POST', '/api/chat/message', { message: 'sin sesión' }),
        svc.call('POST', '/api/chat/message/stream', seedMessage(id)),
        svc.call('POST', '/api/chat', { message: 'Hola', session_id: 'chat_1_abcdef01' }),
        svc.call('GET', `/api/chat/session/${id}`),
        svc.call('DELETE', `/api/chat/session/${id}`),
      ]);
      for (const r of calls) {
        expect(r.status).toBe(503);
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(r.json.detail).toMatch(/Redis/);
      }
    } finally {
      await redis.restart();
    }
    await waitFor(
      async () => (await svc.call('POST', '/api/chat/session/new', SEED_NEW_SESSION)).status === 200,
      15_000,
      200,
    );
    const r = await svc.call('POST', '/api/chat/message', { message: 'Hola de nuevo' });
    expect(r.status).toBe(200);
  });
});

describe('chat sessions without Redis (embedded memory store)', () => {
  let svc: RunningApp;
  beforeAll(async () => (svc = await startApp({ RATE_LIMIT_PER_MINUTE: '100000' })));
  afterAll(() => svc?.close());

  it('runs the same flow in process memory, with TTL reported', async () => {
    const id = (await svc.call('POST', '/api/chat/session/new', SEED_NEW_SESSION)).json.session_id;
    expect((await svc.call('POST', '/api/chat/message', seedMessage(id))).status).toBe(200);
    const view = await svc.call('GET', `/api/chat/session/${id}`);
    expect(view.json.stats.message_count).toBe(2);
    expect(view.json.ttl_seconds).toBeGreaterThan(3500);
    expect((await svc.call('DELETE', `/api/chat/session/${id}`)).status).toBe(200);
    expect((await svc.call('GET', `/api/chat/session/${id}`)).status).toBe(404);
    expect(
      (await svc.call('POST', '/api/chat', { message: 'Hola', session_id: 'chat_1_00ff00ff' })).json.session_id,
    ).toBe('chat_1_00ff00ff');
  });

  it('answers a question about the open invoice from its own data when no model is configured', async () => {
    const r = await svc.call('POST', '/api/chat', {
      message: '¿Qué tipo de documento es este y cuál es su total?',
      session_id: 'chat_2_0badc0de',
      stream: true,
      context: {
        module: 'account',
        odoo: { active_model: 'account.move', active_id: 42 },
        active_record_data: invoiceRecord(180),
      },
    });
    expect(r.status).toBe(200);
    expect(r.json.llm_used).toBe('offline');
    expect(r.json.message).toContain('Datos del registro abierto en Odoo');
    expect(r.json.message).toContain('Factura Electrónica');
    expect(r.json.message).toMatch(/119\.000/);
    expect(r.json.message).not.toContain('abc123secret');
  });
});
