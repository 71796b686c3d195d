import { FakeAnthropic } from '../fakes/fake-anthropic';
import { CLUSTER_KEYS, ReplicaCluster } from '../helpers/replica-cluster';
import { anthropicEnv, describeWithNginx, fakePerReplica, micro } from './multi-replica-support';

const RATE_LIMIT = 30;
const [SESSION_KEY, WIZARD_KEY, COST_KEY, LIMITED_KEY, OTHER_KEY, STREAM_KEY] = CLUSTER_KEYS;

const contentText = (c: unknown): string =>
  typeof c === 'string' ? c : Array.isArray(c) ? c.map((b: any) => b.text ?? '').join('') : '';
/** Everything a replica sent to its provider in one request: system + messages, as plain text. */
const promptText = (body: any) =>
  [contentText(body.system), ...(body.messages ?? []).map((m: any) => contentText(m.content))].join('\n');

describeWithNginx('three replicas behind nginx share one Redis', () => {
  let cluster: ReplicaCluster;
  let fakes: FakeAnthropic[];

  beforeAll(async () => {
    fakes = await fakePerReplica(3);
    fakes.forEach((f, i) => f.reply(`Respuesta de la réplica ${i}.`));
    cluster = await ReplicaCluster.start({
      env: { RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT), LLM_MAX_RETRIES: '0' },
      perReplica: (i) => anthropicEnv(fakes[i]),
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await Promise.all((fakes ?? []).map((f) => f.close()));
  });

  it('nginx spreads unpinned requests round-robin over all three, and the pin header reaches one replica', async () => {
    const served: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await cluster.call('GET', '/api/chat/knowledge/search?query=folios', undefined, { key: OTHER_KEY });
      expect(res.status).toBe(200);
      served.push(res.servedBy);
    }
    expect([0, 1, 2].map((r) => served.filter((s) => s === r).length)).toEqual([2, 2, 2]);
    for (const r of [2, 0, 1])
      expect((await cluster.call('GET', '/health', undefined, { replica: r })).servedBy).toBe(r);
  });

  it('a session started on one replica continues on another, and a third shows the whole history', async () => {
    const opened = await cluster.call(
      'POST',
      '/api/chat/session/new',
      { user_context: { company_name: 'Empresa Réplica', user_role: 'Contador' } },
      { replica: 0, key: SESSION_KEY },
    );
    expect(opened).toMatchObject({ status: 200, servedBy: 0 });
    const id = opened.json.session_id;

    const first = await cluster.call(
      'POST',
      '/api/chat/message',
      { session_id: id, message: '¿Qué es un CAF de folios?' },
      { replica: 1, key: SESSION_KEY },
    );
    expect(first).toMatchObject({ status: 200, servedBy: 1 });
    expect(first.json).toMatchObject({ session_id: id, llm_used: 'anthropic', message: 'Respuesta de la réplica 1.' });

    const second = await cluster.call(
      'POST',
      '/api/chat/message',
      { session_id: id, message: '¿Y cuándo vence?' },
      { replica: 0, key: SESSION_KEY },
    );
    expect(second).toMatchObject({ status: 200, servedBy: 0 });
    expect(second.json.message).toBe('Respuesta de la réplica 0.');
    // Replica 0 built its prompt from the turn replica 1 wrote to Redis (and the context set on 0).
    const prompt = promptText(fakes[0].lastRequest!.body);
    expect(prompt).toContain('¿Qué es un CAF de folios?');
    expect(prompt).toContain('Respuesta de la réplica 1.');
    expect(fakes[2].requests).toHaveLength(0);

    const shown = await cluster.call('GET', `/api/chat/session/${id}`, undefined, { replica: 2, key: SESSION_KEY });
    expect(shown).toMatchObject({ status: 200, servedBy: 2 });
    expect(shown.json.messages.map((m: any) => [m.role, m.content])).toEqual([
      ['user', '¿Qué es un CAF de folios?'],
      ['assistant', 'Respuesta de la réplica 1.'],
      ['user', '¿Y cuándo vence?'],
      ['assistant', 'Respuesta de la réplica 0.'],
    ]);
    expect(shown.json.user_context).toMatchObject({ company_name: 'Empresa Réplica', user_role: 'Contador' });
    expect(shown.json.stats.message_count).toBe(4);
    // The state lives in Redis, under the contract's keys, with the session TTL.
    expect(cluster.redis.cli('-n', '1', 'llen', `chat:session:${id}:history`)).toBe('4');
    expect(Number(cluster.redis.cli('-n', '1', 'ttl', `chat:session:${id}:context`))).toBeGreaterThan(0);

    // Deleted through one replica: gone on every other.
    expect(
      (await cluster.call('DELETE', `/api/chat/session/${id}`, undefined, { replica: 1, key: SESSION_KEY })).status,
    ).toBe(200);
    for (const r of [0, 2])
      expect((await cluster.direct(r, 'GET', `/api/chat/session/${id}`, undefined, { key: SESSION_KEY })).status).toBe(
        404,
      );
  });

  it("Odoo's wizard (caller-named id) talks round-robin through nginx and every replica sees every turn", async () => {
    const id = `chat_7_${Date.now().toString(16).slice(-8)}`;
    const served: number[] = [];
    for (const message of ['Hola', '¿Cómo anulo una factura?', '¿Y una nota de crédito?']) {
      const res = await cluster.call(
        'POST',
        '/api/chat',
        { session_id: id, message, context: { module: 'l10n_cl_dte' } },
        { key: WIZARD_KEY },
      );
      expect(res.status).toBe(200);
      expect(res.json.session_id).toBe(id);
      served.push(res.servedBy);
    }
    expect(new Set(served).size).toBe(3);
    const views = await Promise.all(
      [0, 1, 2].map((r) => cluster.direct(r, 'GET', `/api/chat/session/${id}`, undefined, { key: WIZARD_KEY })),
    );
    for (const v of views) {
      expect(v.status).toBe(200);
      expect(v.json.messages).toHaveLength(6);
      expect(v.json.messages).toEqual(views[0].json.messages);
    }
    expect(views[0].json.messages.filter((m: any) => m.role === 'assistant').map((m: any) => m.content)).toEqual(
      served.map((r) => `Respuesta de la réplica ${r}.`),
    );
  });

  it('cost totals are shared: /metrics/costs on every replica reports the same totals after calls spread over all three', async () => {
    const costs = (r: number) =>
      cluster.direct(r, 'GET', '/metrics/costs?period=all_time', undefined, { key: COST_KEY });
    const before = (await costs(0)).json;
    const fakeBefore = fakes.map((f) => f.requests.length);

    const answers = [];
    for (let i = 0; i < 6; i++) {
      const res = await cluster.call(
        'POST',
        '/api/chat/message',
        { message: `Pregunta ${i} sobre el IVA de una factura afecta` },
        { key: COST_KEY },
      );
      expect(res.status).toBe(200);
      answers.push(res);
    }
    const servedBy = answers.map((a) => a.servedBy);
    expect(new Set(servedBy).size).toBe(3);
    // Each replica called its own provider exactly for the turns it served.
    expect(fakes.map((f, r) => f.requests.length - fakeBefore[r])).toEqual(
      [0, 1, 2].map((r) => servedBy.filter((s) => s === r).length),
    );
    const spent = answers.reduce((sum, a) => sum + a.json.cost_usd, 0);
    expect(spent).toBeGreaterThan(0);

    const after = await Promise.all([0, 1, 2].map(async (r) => (await costs(r)).json));
    const totals = (c: any) => ({
      total_cost_usd: c.total_cost_usd,
      total_calls: c.total_calls,
      total_input_tokens: c.total_input_tokens,
      total_output_tokens: c.total_output_tokens,
      total_cache_read_tokens: c.total_cache_read_tokens,
      total_cache_write_tokens: c.total_cache_write_tokens,
      by_operation: c.by_operation,
      by_model: c.by_model,
    });
    expect(totals(after[1])).toEqual(totals(after[0]));
    expect(totals(after[2])).toEqual(totals(after[0]));
    expect(after[0].total_calls - before.total_calls).toBe(6);
    expect(after[0].by_operation.chat.calls - (before.by_operation?.chat?.calls ?? 0)).toBe(6);
    expect(Math.abs(micro(after[0].total_cost_usd - before.total_cost_usd) - micro(spent))).toBeLessThanOrEqual(6);
    const tokens = answers.reduce((n, a) => n + a.json.tokens_used.input_tokens + a.json.tokens_used.output_tokens, 0);
    // The answer counts the whole prompt; the report splits plain input from cache reads/writes.
    const reported = (c: any) =>
      c.total_input_tokens + c.total_cache_read_tokens + c.total_cache_write_tokens + c.total_output_tokens;
    expect(reported(after[0]) - reported(before)).toBe(tokens);
  });

  it(`rate limits are shared: ${RATE_LIMIT} requests per minute per key across all replicas, not per replica`, async () => {
    const search = (opts: { replica?: number; key?: string } = {}) =>
      cluster.call('GET', '/api/chat/knowledge/search?query=boleta', undefined, { key: LIMITED_KEY, ...opts });
    const served: number[] = [];
    for (let i = 0; i < RATE_LIMIT; i++) {
      const res = await search();
      expect(res.status).toBe(200);
      // Whichever replica answers, it reports the shared remainder.
      expect(Number(res.headers.get('x-ratelimit-remaining'))).toBe(RATE_LIMIT - i - 1);
      served.push(res.servedBy);
    }
    // Each replica saw only a third of the limit itself…
    expect([0, 1, 2].map((r) => served.filter((s) => s === r).length)).toEqual([10, 10, 10]);
    // …yet the next request is refused whichever replica gets it, directly or through nginx.
    const refused = await search();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.json).toMatchObject({ statusCode: 429 });
    expect(typeof refused.json.detail).toBe('string');
    for (const r of [0, 1, 2]) {
      expect((await search({ replica: r })).status).toBe(429);
      expect(
        (await cluster.direct(r, 'GET', '/api/chat/knowledge/search?query=boleta', undefined, { key: LIMITED_KEY }))
          .status,
      ).toBe(429);
    }
    // The limit is per key: another key still passes on every replica.
    for (const r of [0, 1, 2])
      expect(
        (await cluster.direct(r, 'GET', '/api/chat/knowledge/search?query=boleta', undefined, { key: OTHER_KEY }))
          .status,
      ).toBe(200);
    // One counter in Redis for the key, counting every attempt on every replica.
    const counters = cluster.redis.cli('-n', '1', '--scan', '--pattern', 'ratelimit:*').split('\n').filter(Boolean);
    const hits = counters.map((k) => Number(cluster.redis.cli('-n', '1', 'get', k)));
    expect(Math.max(...hits)).toBe(RATE_LIMIT + 1 + 3 + 3);
  });

  it('SSE streams through nginx unbuffered: the first delta arrives long before the stream ends', async () => {
    const words = 'Uno dos tres cuatro cinco seis siete ocho nueve diez.';
    fakes[1].reply(words);
    fakes[1].latency({ chunkMs: 120 });
    try {
      const started = Date.now();
      const res = await fetch(`${cluster.nginx.url}/api/chat/message/stream`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${STREAM_KEY}`,
          'content-type': 'application/json',
          accept: 'text/event-stream',
          'x-pin-replica': '1',
        },
        body: JSON.stringify({ message: '¿Qué es una guía de despacho?' }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      let text = '';
      let firstDeltaAt = 0;
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        if (!firstDeltaAt && text.includes('event: delta')) firstDeltaAt = Date.now() - started;
      }
      const endedAt = Date.now() - started;
      expect(text).toContain('event: done');
      expect(text).not.toContain('event: error');
      // 10 deltas 120 ms apart. A proxy that holds the stream back (e.g. gzip on text/event-stream,
      // tried by hand: this assertion then fails) would deliver the first delta only at the end.
      expect(endedAt - firstDeltaAt).toBeGreaterThan(700);
    } finally {
      fakes[1].latency({});
      fakes[1].reply('Respuesta de la réplica 1.');
    }
  });
});
