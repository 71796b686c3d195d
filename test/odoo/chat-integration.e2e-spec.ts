import http from 'node:http';
import { AiChatIntegration } from './chat-integration.client';
import { OdooHarness, promptText, startOdooHarness, VARIANTS } from './odoo-harness';
import { INVOICE_USER_CONTEXT, QUESTION_DTE33 } from './odoo-payloads';
import { COMPANY } from './odoo-env';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Odoo's `ai.chat.integration`, replayed call by call against the running service (real Redis; the
 * fake Anthropic/OpenAI servers, or no LLM key at all), asserting only what the addon reads.
 */
describe.each(VARIANTS)('ai.chat.integration against the service (%s)', (variant) => {
  let h: OdooHarness;
  let chat: AiChatIntegration;

  beforeAll(async () => {
    h = await startOdooHarness(variant);
    chat = new AiChatIntegration(h.odoo());
  });
  afterAll(() => h?.close());
  beforeEach(() => {
    h.exchanges.length = 0;
    h.anthropic?.reset();
  });

  it('"Probar Conexión": GET /health with the Bearer header is 200 and gives a status', async () => {
    const health = await chat.checkAiServiceHealth();
    expect(health).toMatchObject({ success: true, status: variant === 'fakes' ? 'healthy' : 'degraded' });
    expect(h.exchanges[0].requestHeaders.Authorization).toBe(`Bearer ${h.svc.key}`);
    expect(h.exchanges[0].status).toBe(200);
  });

  it('session → message → history → delete: every call exactly 200 with the fields the addon reads', async () => {
    const created = await chat.createChatSession();
    expect(created.session_id).toMatch(UUID);
    expect(typeof created.welcome_message).toBe('string');
    expect(created.welcome_message).toContain(COMPANY.name);

    const answer = await chat.sendChatMessage(created.session_id!, QUESTION_DTE33);
    expect(answer.session_id).toBe(created.session_id);
    expect(typeof answer.message).toBe('string');
    expect(answer.message!.length).toBeGreaterThan(0);
    expect(Array.isArray(answer.sources)).toBe(true);
    for (const s of answer.sources!) expect(typeof s).toBe('string');
    expect(answer.sources!.length).toBeGreaterThan(0);
    expect(answer.confidence).toBeGreaterThanOrEqual(0);
    expect(answer.confidence).toBeLessThanOrEqual(100);
    expect(answer.llm_used).toBe(variant === 'fakes' ? 'anthropic' : 'offline');
    const tokens = answer.tokens_used!;
    expect(tokens.total_tokens).toBe(tokens.input_tokens + tokens.output_tokens);
    if (variant === 'fakes') expect(tokens.input_tokens).toBeGreaterThan(0);

    const history = await chat.getConversationHistory(created.session_id!);
    expect(history).toMatchObject({ success: true, session_id: created.session_id });
    expect(history.messages!.map((m: any) => m.role)).toEqual(['user', 'assistant']);
    expect(history.messages![0].content).toBe(QUESTION_DTE33);
    expect(history.messages![1].content).toBe(answer.message);
    expect(history.stats).toMatchObject({ message_count: 2 });

    expect(await chat.clearChatSession(created.session_id!)).toEqual({ success: true });
    expect(h.exchanges.map((e) => `${e.method} ${e.status}`)).toEqual([
      'POST 200',
      'POST 200',
      'GET 200',
      'DELETE 200',
    ]);
    expect(h.redis.cli('-n', '1', '--scan', '--pattern', `chat:session:${created.session_id}:*`)).toBe('');

    const gone = await chat.getConversationHistory(created.session_id!);
    expect(gone.success).toBe(false);
    expect(gone.error).toMatch(/nueva conversación/);
  });

  it('DELETE byte for byte as requests sends it (Content-Type: application/json, Content-Length: 0) → exactly 200', async () => {
    const { session_id } = await chat.createChatSession();
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        `${h.svc.url}/api/chat/session/${session_id}`,
        {
          method: 'DELETE',
          headers: {
            'User-Agent': 'Odoo-19-l10n_cl_dte/1.0',
            'Accept-Encoding': 'gzip, deflate',
            Accept: '*/*',
            Connection: 'keep-alive',
            'Content-Type': 'application/json',
            Authorization: `Bearer ${h.svc.key}`,
            'Content-Length': '0',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect({ status, body: JSON.parse(body) }).toEqual({ status: 200, body: { session_id, deleted: true } });
  });

  it('the context Odoo builds (and keys of its own) is kept with the session', async () => {
    const created = await chat.createChatSession(INVOICE_USER_CONTEXT);
    const sent = JSON.parse(h.exchanges[0].requestBody!).user_context;
    expect(Object.keys(sent)).toEqual([
      'company_name',
      'company_rut',
      'user_name',
      'user_email',
      'user_role',
      'environment',
      'language',
      'dte_type',
      'dte_status',
    ]);
    const view = await h.svc.call('GET', `/api/chat/session/${created.session_id}`);
    expect(view.json.user_context).toMatchObject(sent);
  });

  (variant === 'fakes' ? it : it.skip)(
    'a message with user_context reaches the model with the company and role of the user',
    async () => {
      const { session_id } = await chat.createChatSession();
      await chat.sendChatMessage(session_id!, QUESTION_DTE33, INVOICE_USER_CONTEXT);
      const prompt = promptText(h.anthropic!.lastRequest!.body);
      expect(prompt).toContain(COMPANY.name);
      expect(prompt).toContain('Administrador');
      expect(prompt).toContain(QUESTION_DTE33);
    },
  );

  it.each([
    ['generar factura', 'spaces sent as "+"'],
    ['¿Cómo anulo una factura electrónica?', 'non-ASCII, percent-encoded'],
  ])('knowledge search "%s" (%s) with top_k=3: 200, the query back and at most 3 results', async (query) => {
    const found = await chat.searchKnowledgeBase(query, 3);
    expect(found.success).toBe(true);
    expect(found.query).toBe(query);
    expect(found.results!.length).toBeGreaterThan(0);
    expect(found.results!.length).toBeLessThanOrEqual(3);
    for (const r of found.results!) {
      expect(r).toEqual(
        expect.objectContaining({
          title: expect.any(String),
          content: expect.any(String),
          tags: expect.any(Array),
          module: expect.any(String),
        }),
      );
    }
  });
});
