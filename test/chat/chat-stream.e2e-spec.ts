import { TestRedis } from '../helpers/redis-server';
import { waitFor } from '../helpers/ports';
import { RunningApp, startApp } from '../helpers/test-app';
import { parseSse, SEED_NEW_SESSION, seedMessage } from './chat-helpers';

/** SSE framing and the pre-stream error contract, with whatever LLM layer answers (no keys: offline). */
describe('chat streaming (SSE) framing', () => {
  let redis: TestRedis;
  let svc: RunningApp;

  beforeAll(async () => {
    redis = await TestRedis.start();
    svc = await startApp({ REDIS_URL: redis.url(), RATE_LIMIT_PER_MINUTE: '100000' });
    await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200);
  });
  afterAll(async () => {
    await svc?.close();
    await redis?.stop();
  });

  const newSession = async () =>
    (await svc.call('POST', '/api/chat/session/new', SEED_NEW_SESSION)).json.session_id as string;

  it('streams deltas then a done event carrying the whole answer, and saves the exchange', async () => {
    const id = await newSession();
    const r = await svc.call('POST', '/api/chat/message/stream', seedMessage(id));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(r.headers.get('cache-control')).toContain('no-cache');
    const events = parseSse(r.text);
    const deltas = events.filter((e) => e.event === 'delta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(events.at(-1)!.event).toBe('done');
    expect(events.filter((e) => e.event === 'done')).toHaveLength(1);
    const done = events.at(-1)!.data;
    expect(done).toMatchObject({
      session_id: id,
      llm_used: expect.any(String),
      plugin: 'l10n_cl_dte',
      sources: expect.any(Array),
      cost_usd: expect.any(Number),
    });
    expect(deltas.map((e) => e.data.text).join('')).toBe(done.message);

    const view = await svc.call('GET', `/api/chat/session/${id}`);
    expect(view.json.messages.map((m: any) => m.content)).toEqual(['¿Cómo genero un DTE 33?', done.message]);
  });

  it('starts a session when the stream request has no session_id', async () => {
    const r = await svc.call('POST', '/api/chat/message/stream', { message: 'Hola' });
    const done = parseSse(r.text).at(-1)!;
    expect(done.event).toBe('done');
    expect((await svc.call('GET', `/api/chat/session/${done.data.session_id}`)).json.messages).toHaveLength(2);
  });

  it('answers JSON errors with their own status before the stream starts (400, 404, 503)', async () => {
    const bad = await svc.call('POST', '/api/chat/message/stream', { session_id: 'a:b', message: 'Hola' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/json');
    const missing = await svc.call('POST', '/api/chat/message/stream', seedMessage('no-such-session'));
    expect(missing.status).toBe(404);
    expect(missing.json.detail).toMatch(/nueva conversación/);
    await redis.stop();
    try {
      const down = await svc.call('POST', '/api/chat/message/stream', { message: 'Hola' });
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBeTruthy();
    } finally {
      await redis.restart();
    }
    await waitFor(
      async () => (await svc.call('POST', '/api/chat/message/stream', { message: 'Hola' })).status === 200,
      15_000,
      200,
    );
  });

  it('/api/chat streams only when stream is true and the request accepts only text/event-stream', async () => {
    const body = { message: 'Hola', session_id: 'chat_3_cafe0123', stream: true };
    const sse = await svc.call('POST', '/api/chat', body, { headers: { accept: 'text/event-stream' } });
    expect(sse.status).toBe(200);
    expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(parseSse(sse.text).at(-1)).toMatchObject({ event: 'done', data: { session_id: 'chat_3_cafe0123' } });

    for (const accept of ['*/*', 'application/json', 'text/event-stream, application/json']) {
      const json = await svc.call('POST', '/api/chat', body, { headers: { accept } });
      expect(json.status).toBe(200);
      expect(json.headers.get('content-type')).toContain('application/json');
      expect(json.json.session_id).toBe('chat_3_cafe0123');
    }
    const notAsked = await svc.call(
      'POST',
      '/api/chat',
      { ...body, stream: false },
      { headers: { accept: 'text/event-stream' } },
    );
    expect(notAsked.headers.get('content-type')).toContain('application/json');
    expect((await svc.call('GET', '/api/chat/session/chat_3_cafe0123')).json.stats.message_count).toBe(10);
  });
});
