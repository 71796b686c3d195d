import { FakeAnthropic } from '../fakes/fake-anthropic';
import { send, startSigtermStack } from '../faults/sigterm-helpers';
import { waitFor } from '../helpers/ports';

const keysOf = (cli: (...a: string[]) => string, id: string) =>
  cli('-n', '1', '--scan', '--pattern', `chat:session:${id}:*`).split('\n').filter(Boolean).sort();

/** The user messages the provider was sent for the last turn (the conversation the model saw). */
const userTurnsSeen = (anthropic: FakeAnthropic) =>
  (anthropic.lastRequest!.body.messages as { role: string }[]).filter((m) => m.role === 'user').length;

/**
 * A session is whole or absent: a turn that finishes after its session was deleted (or expired, or
 * evicted) writes nothing, and a caller-named id that comes back starts a fresh conversation. The
 * context hash stays bounded however many keys the caller sends. Compiled service, real Redis.
 */
describe('chat session integrity (compiled service)', () => {
  let stack: Awaited<ReturnType<typeof startSigtermStack>>;
  const cli = (...a: string[]) => stack.redis.cli(...a);
  const chat = (id: string, message: string, context: Record<string, unknown> = {}) =>
    send(stack.svc.port, 'POST', '/api/chat', { message, session_id: id, context });
  const view = async (id: string) => {
    const r = await send(stack.svc.port, 'GET', `/api/chat/session/${id}`);
    return { status: r.status, json: r.status === 200 ? JSON.parse(r.body) : null };
  };

  beforeAll(async () => {
    stack = await startSigtermStack({ LLM_TIMEOUT_MS: '20000' });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.anthropic.reset());

  it('DELETE during a turn: the answer still arrives, no key is left, the same id starts afresh', async () => {
    const id = 'chat_5_0a1b2c3d';
    expect((await chat(id, '¿Qué es un DTE?', { module: 'l10n_cl_dte' })).status).toBe(200);
    expect((await view(id)).json.messages).toHaveLength(2);

    stack.anthropic.latency({ firstByteMs: 800 });
    const turn = chat(id, '¿Y una guía de despacho?', { module: 'l10n_cl_dte' });
    await waitFor(() => stack.anthropic.requests.length >= 1, 5000, 10);
    const deleted = await send(stack.svc.port, 'DELETE', `/api/chat/session/${id}`);
    const answer = await turn;
    const left = keysOf(cli, id);
    console.log(JSON.stringify({ deleted: deleted.status, answer: answer.status, keysLeft: left }));

    expect(deleted.status).toBe(200);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ session_id: id, llm_used: 'anthropic' });
    expect(left).toEqual([]);
    expect((await view(id)).status).toBe(404);

    stack.anthropic.latency({});
    expect((await chat(id, 'Hola de nuevo', { module: 'l10n_cl_dte' })).status).toBe(200);
    expect(userTurnsSeen(stack.anthropic)).toBe(1);
    const fresh = await view(id);
    expect(fresh.json.messages.map((m: { content: string }) => m.content)[0]).toBe('Hola de nuevo');
    expect(fresh.json.stats.message_count).toBe(2);
  });

  it('a history left behind by an evicted or expired context is not resumed', async () => {
    const id = 'chat_5_0e1f2a3b';
    expect((await chat(id, 'Primera pregunta')).status).toBe(200);
    expect((await chat(id, 'Segunda pregunta')).status).toBe(200);
    cli('-n', '1', 'DEL', `chat:session:${id}:context`); // what eviction of one key looks like

    expect((await view(id)).status).toBe(404);
    expect((await chat(id, 'Otra conversación')).status).toBe(200);
    expect(userTurnsSeen(stack.anthropic)).toBe(1);
    expect((await view(id)).json.messages).toHaveLength(2);
  });

  it('keeps the context hash bounded: 3 turns × 3,000 new keys (issue 13: it grew to 845 KB)', async () => {
    const id = 'chat_5_0c0ffee0';
    const base = { company_name: 'ACME SpA', user_role: 'Contador', module: 'account' };
    for (let turn = 0; turn < 3; turn++) {
      const extra = Object.fromEntries(
        Array.from({ length: 3000 }, (_, i) => [`x_field_${turn}_${i}`, `valor ${turn}-${i} ${'·'.repeat(60)}`]),
      );
      expect((await chat(id, `Turno ${turn}`, { ...base, ...extra })).status).toBe(200);
    }
    const fields = Number(cli('-n', '1', 'HLEN', `chat:session:${id}:context`));
    const bytes = Number(cli('-n', '1', 'MEMORY', 'USAGE', `chat:session:${id}:context`));
    const shown = (await view(id)).json.user_context;
    const trimmed = stack.svc.logLines().filter((l) => l.event === 'chat_session_context_trimmed');
    console.log(JSON.stringify({ fields, bytes, trimmedEvents: trimmed.length, example: trimmed[0] }));

    expect(bytes).toBeLessThan(100 * 1024);
    expect(fields).toBeLessThanOrEqual(100 + 3);
    // What the service reads survives; the newest turn's keys win over the older ones.
    expect(shown).toMatchObject(base);
    expect(Object.keys(shown).some((k) => k.startsWith('x_field_2_'))).toBe(true);
    expect(Object.keys(shown).some((k) => k.startsWith('x_field_0_'))).toBe(false);
    expect(trimmed.length).toBe(3);
    expect(trimmed[0]).toMatchObject({ session_id: id, dropped_keys: expect.any(Number) });
    expect(JSON.stringify(trimmed)).not.toContain('valor');
  });

  it('Odoo resending the same context each turn neither grows it nor loses what changed', async () => {
    const id = 'chat_5_0ddba11a';
    const context = { company_name: 'ACME SpA', user_role: 'Contador', x_custom: { a: 1 } };
    for (let turn = 0; turn < 3; turn++) expect((await chat(id, `Turno ${turn}`, context)).status).toBe(200);
    expect(Number(cli('-n', '1', 'HLEN', `chat:session:${id}:context`))).toBe(3 + 3);
    expect((await chat(id, 'Cambio de rol', { ...context, user_role: 'Gerente' })).status).toBe(200);
    expect((await view(id)).json.user_context).toEqual({ ...context, user_role: 'Gerente' });
  });
});
