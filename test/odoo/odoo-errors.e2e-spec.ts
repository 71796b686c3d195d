import { randomUUID } from 'node:crypto';
import { waitFor } from '../helpers/ports';
import { AiChatIntegration, UserError } from './chat-integration.client';
import { AIApiClient, DteAiClient } from './dte-clients';
import type { Exchange } from './odoo-http';
import { OdooHarness, sessionKeys, startOdooHarness } from './odoo-harness';
import { odooDteData, QUESTION_DTE33, RUT_EMISOR_BAD_DV } from './odoo-payloads';
import { accountMoveRecord, INVOICE } from './odoo-records';
import { AiChatUniversalWizard } from './universal-wizard.client';

const WRONG_KEY = 'wrong-key-0000000000000000000000000000';
/** `detail` is one Spanish sentence Odoo can show as is. */
const SENTENCE = /^[A-ZÁÉÍÓÚÑ¿¡"].{14,}[.!?)]$/s;

/** The error body of an exchange: the contract's four fields, `detail` a sentence (never "HTTP 4xx"). */
function detailOf(e: Exchange | undefined, status: number): string {
  expect(e?.status).toBe(status);
  const body = JSON.parse(e!.responseText);
  expect(body).toMatchObject({
    statusCode: status,
    error: expect.any(String),
    message: expect.any(String),
    detail: expect.any(String),
  });
  expect(body.detail).toMatch(SENTENCE);
  expect(body.detail).not.toMatch(/^HTTP \d/);
  return body.detail;
}

const userError = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a UserError');
    },
    (e) => {
      expect(e).toBeInstanceOf(UserError);
      return (e as Error).message;
    },
  );
const SEND_ERROR = 'No se pudo enviar el mensaje al asistente IA.\nError: ';
const CREATE_ERROR = 'No se pudo crear la sesión de chat con el asistente IA.\nError: ';

/** Every error the addon can meet, and the exact text (or fail-open verdict) its user ends up with. */
describe('errors as the Odoo addon meets them', () => {
  let h: OdooHarness;
  let chat: AiChatIntegration;
  const last = () => h.exchanges[h.exchanges.length - 1];

  beforeAll(async () => {
    h = await startOdooHarness('fakes');
    chat = new AiChatIntegration(h.odoo());
  });
  afterAll(() => h?.close());
  beforeEach(() => {
    h.exchanges.length = 0;
    h.anthropic!.reset();
    h.openai!.reset();
    h.anthropic!.reply('{"warnings": [], "confidence": 95}');
  });

  describe('401 — wrong or missing key', () => {
    it('chat model: the dialog shows the detail; "Probar Conexión" cannot tell (GET /health is public)', async () => {
      const wrong = new AiChatIntegration(h.odoo({ key: WRONG_KEY }));
      expect(await wrong.checkAiServiceHealth()).toMatchObject({ success: true });
      const shown = await userError(wrong.createChatSession());
      const detail = detailOf(last(), 401);
      expect(detail).toMatch(/clave de API/);
      expect(shown).toBe(CREATE_ERROR + detail);
    });

    it('chat model with no key set: no Authorization header at all, and the detail names the header', async () => {
      const none = new AiChatIntegration(h.odoo({ key: '' }));
      const shown = await userError(none.sendChatMessage(randomUUID(), 'Hola'));
      expect(last().requestHeaders).not.toHaveProperty('Authorization');
      const detail = detailOf(last(), 401);
      expect(detail).toMatch(/Authorization: Bearer/);
      expect(shown).toBe(SEND_ERROR + detail);
    });

    it('wizard: raise_for_status text (the detail stays in the body); DTE clients fail open', async () => {
      const env = h.odoo({ key: WRONG_KEY });
      const shown = await userError(new AiChatUniversalWizard(env).actionSendMessage('Hola', 'general'));
      expect(shown).toBe(
        `Error comunicándose con AI Service: 401 Client Error: Unauthorized for url: ${h.svc.url}/api/chat`,
      );
      detailOf(last(), 401);

      expect(await new DteAiClient(env).validateDteWithAi(odooDteData({ rut_emisor: RUT_EMISOR_BAD_DV }))).toEqual({
        valid: true,
        confidence: 0,
        issues: [],
        suggestions: ['AI Service error: 401'],
      });
      detailOf(last(), 401);
      expect(await new AIApiClient(env).validateDte(odooDteData())).toEqual(AIApiClient.NEUTRAL);
      detailOf(last(), 401);
    });
  });

  describe('404 — unknown or expired session', () => {
    it('unknown session: message, history and delete each tell the user to open a new conversation', async () => {
      const id = randomUUID();
      const shown = await userError(chat.sendChatMessage(id, QUESTION_DTE33));
      const detail = detailOf(last(), 404);
      expect(detail).toMatch(/nueva conversación/);
      expect(shown).toBe(SEND_ERROR + detail);
      expect(await chat.getConversationHistory(id)).toEqual({ success: false, error: detail });
      detailOf(last(), 404);
      expect(await chat.clearChatSession(id)).toEqual({ success: false, error: detail });
      // Odoo sends Content-Type: application/json on its bodiless DELETE: still the session's 404.
      detailOf(last(), 404);
    });

    it('expired session (its Redis keys expire): the same 404 and detail', async () => {
      const { session_id } = await chat.createChatSession();
      await chat.sendChatMessage(session_id!, QUESTION_DTE33);
      const keys = sessionKeys(h.redis, session_id!);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) h.redis.cli('-n', '1', 'pexpire', key, '1');
      await waitFor(() => sessionKeys(h.redis, session_id!).length === 0, 2000, 10);
      const shown = await userError(chat.sendChatMessage(session_id!, '¿Y para una boleta?'));
      expect(shown).toBe(SEND_ERROR + detailOf(last(), 404));
      expect(detailOf(last(), 404)).toMatch(/expir/);
    });

    it('a caller-named id never started is a 404 on /api/chat/message (only /api/chat starts one)', async () => {
      const shown = await userError(chat.sendChatMessage('chat_2_0badc0de', 'Hola'));
      expect(shown).toBe(SEND_ERROR + detailOf(last(), 404));
    });
  });

  describe('400 — bad input names the field', () => {
    const longMessage = 'a'.repeat(4001);
    it.each([
      ['empty message', 'message', () => chat.sendChatMessage(randomUUID(), '')],
      ['message over 4000 characters', 'message', () => chat.sendChatMessage(randomUUID(), longMessage)],
      ['session_id with ":" and "*"', 'session_id', () => chat.sendChatMessage('chat_2_ab:cd*', 'Hola')],
      ['history of an id with ":" and "*"', 'session_id', () => chat.getConversationHistory('abc:def*')],
      ['knowledge search with top_k=50', 'top_k', () => chat.searchKnowledgeBase('factura', 50)],
      ['knowledge search with an empty query', 'query', () => chat.searchKnowledgeBase('', 3)],
    ])('%s → 400 whose detail names `%s`', async (_name, field, call) => {
      await call().catch((e) => expect(e).toBeInstanceOf(UserError));
      expect(detailOf(last(), 400)).toContain(field);
    });

    it('wizard with a session id outside [A-Za-z0-9_-]: 400 naming session_id, never a Redis key', async () => {
      const before = h.redis.cli('-n', '1', 'dbsize');
      await userError(
        new AiChatUniversalWizard(h.odoo(), undefined, false, 'chat 2 ../x').actionSendMessage('Hola', 'general'),
      );
      expect(detailOf(last(), 400)).toContain('session_id');
      expect(h.redis.cli('-n', '1', 'dbsize')).toBe(before);
    });
  });

  describe('413 — body over 1 MiB', () => {
    it('wizard with a huge record, chat model with a huge context, DTE client with a huge DTE', async () => {
      const hugeText = 'Observación de despacho. '.repeat(48_000); // ~1.2 MB
      const record = {
        model: 'account.move',
        id: 512,
        displayName: INVOICE.name,
        data: { ...accountMoveRecord(), narration: hugeText },
      };
      const shown = await userError(new AiChatUniversalWizard(h.odoo(), record).actionSendMessage('¿Qué es esto?'));
      expect(shown).toMatch(/^Error comunicándose con AI Service: 413 Client Error: Payload Too Large/);
      const detail = detailOf(last(), 413);
      expect(detail).toMatch(/1 MiB/);

      expect(await userError(chat.createChatSession({ notes: hugeText }))).toBe(CREATE_ERROR + detailOf(last(), 413));
      expect(await new DteAiClient(h.odoo()).validateDteWithAi(odooDteData({ observaciones: hugeText }))).toMatchObject(
        { valid: true, confidence: 0 },
      );
      detailOf(last(), 413);
    });
  });

  describe('503 — Redis down, then back', () => {
    it('chat says so with Retry-After; the wizard sees /health 503; DTE validation still gives real verdicts', async () => {
      await h.redis.stop();
      try {
        const shown = await userError(chat.createChatSession());
        const detail = detailOf(last(), 503);
        expect(detail).toMatch(/Redis/);
        expect(shown).toBe(CREATE_ERROR + detail);
        expect(Number(last().responseHeaders['retry-after'])).toBeGreaterThan(0);

        expect(await chat.checkAiServiceHealth()).toEqual({ success: false, status: 'unhealthy', error: 'HTTP 503' });
        expect(await userError(new AiChatUniversalWizard(h.odoo()).actionSendMessage('Hola', 'general'))).toBe(
          'El servicio de IA no está disponible.\nVerifica que el AI Service esté ejecutándose.',
        );

        // A 503 here would be read as "valid" by the addon: validation must not depend on Redis.
        const dte = new DteAiClient(h.odoo());
        expect(await dte.validateDteWithAi(odooDteData({ rut_emisor: RUT_EMISOR_BAD_DV }))).toMatchObject({
          valid: false,
        });
        expect(last().status).toBe(200);
        expect((await dte.validateDteWithAi(odooDteData())).valid).toBe(true);
      } finally {
        await h.redis.restart();
      }
      await waitFor(
        async () =>
          await chat.createChatSession().then(
            () => true,
            () => false,
          ),
        15_000,
        200,
      );
      expect(last().status).toBe(200);
    });
  });

  describe('LLM providers down', () => {
    it('chat still answers 200 (offline, from the knowledge base); DTE verdicts keep their rules', async () => {
      h.anthropic!.fault({ status: 503 });
      h.openai!.fault({ status: 503 });
      const { session_id } = await chat.createChatSession();
      const answer = await chat.sendChatMessage(session_id!, QUESTION_DTE33);
      expect(answer.llm_used).toBe('offline');
      expect(answer.message!.length).toBeGreaterThan(0);
      const dte = new DteAiClient(h.odoo());
      expect(await dte.validateDteWithAi(odooDteData({ rut_emisor: RUT_EMISOR_BAD_DV }))).toMatchObject({
        valid: false,
      });
      const good = await dte.validateDteWithAi(odooDteData());
      expect(good.valid).toBe(true);
      expect(good.confidence).toBeGreaterThan(0);
    });
  });
});

describe('429 — rate limit per key', () => {
  let h: OdooHarness;
  beforeAll(async () => {
    h = await startOdooHarness('offline', { RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => h?.close());

  it('the call over the limit shows the detail and carries Retry-After; the public /health is not counted', async () => {
    const chat = new AiChatIntegration(h.odoo());
    for (let i = 0; i < 3; i++) await chat.createChatSession();
    const shown = await userError(chat.createChatSession());
    const last = h.exchanges[h.exchanges.length - 1];
    const detail = detailOf(last, 429);
    expect(shown).toBe(CREATE_ERROR + detail);
    expect(Number(last.responseHeaders['retry-after'])).toBeGreaterThan(0);
    expect(await chat.checkAiServiceHealth()).toMatchObject({ success: true });
    // The DTE client has its own budget and is never answered 429 (it would fail open): a wrong DTE
    // is still caught while the chat budget of the same key is spent.
    const dte = new DteAiClient(h.odoo());
    expect(await dte.validateDteWithAi(odooDteData({ rut_emisor: RUT_EMISOR_BAD_DV }))).toMatchObject({
      valid: false,
    });
    expect(h.exchanges[h.exchanges.length - 1].status).toBe(200);
  });
});
