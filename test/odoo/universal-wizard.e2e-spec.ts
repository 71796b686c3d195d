import { AiChatIntegration } from './chat-integration.client';
import { OdooHarness, promptText, startOdooHarness, VARIANTS } from './odoo-harness';
import { QUESTION_RECORD } from './odoo-payloads';
import { accountMoveRecord, INVOICE } from './odoo-records';
import { AiChatUniversalWizard, WIZARD_MODULES } from './universal-wizard.client';
import { pythonJsonDumps } from './python-wire';

/** The plugin each module hint selects (docs/odoo-integration.md); `project`/`general` fall to keywords, then default. */
const PLUGIN_FOR: Record<string, string> = {
  l10n_cl_dte: 'l10n_cl_dte',
  account: 'account',
  sale: 'account',
  purchase: 'stock',
  stock: 'stock',
  hr_payroll: 'hr_payroll',
  project: 'default',
  general: 'default',
};
/** A question with no keyword of any plugin, so only the hint decides. */
const NEUTRAL_QUESTION = 'Hola, ¿en qué me puedes ayudar hoy?';
const WIZARD_SESSION = /^chat_2_[0-9a-f]{8}$/;

const invoice = (fieldCount = 160) => ({
  model: 'account.move',
  id: 512,
  displayName: INVOICE.name,
  data: accountMoveRecord(fieldCount),
});

/**
 * Odoo's `ai.chat.universal.wizard` against the running service: its own session ids, every module
 * hint, `stream` true and false (it always calls response.json()), and an open invoice of 150+ fields.
 */
describe.each(VARIANTS)('ai.chat.universal.wizard against the service (%s)', (variant) => {
  let h: OdooHarness;

  beforeAll(async () => {
    h = await startOdooHarness(variant);
  });
  afterAll(() => h?.close());
  beforeEach(() => {
    h.exchanges.length = 0;
    h.anthropic?.reset();
  });

  const cases = WIZARD_MODULES.flatMap((module) => [true, false].map((stream) => [module, stream] as const));
  it.each(cases)(
    "module %s, stream %s: JSON 200 with `message`, the hinted plugin, the wizard's own session id",
    async (module, stream) => {
      const wizard = new AiChatUniversalWizard(h.odoo(), undefined, stream);
      const { response, notification } = await wizard.actionSendMessage(NEUTRAL_QUESTION, module);
      expect(wizard.sessionId).toMatch(WIZARD_SESSION);
      const post = h.exchanges.find((e) => e.method === 'POST')!;
      expect(post.status).toBe(200);
      expect(post.responseHeaders['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(post.requestBody!)).toMatchObject({
        session_id: wizard.sessionId,
        stream,
        context: { module, session_id: wizard.sessionId },
      });
      expect(typeof response.message).toBe('string');
      expect(response.message.length).toBeGreaterThan(0);
      expect(notification.message).toBe(`${response.message.slice(0, 200)}...`);
      expect(response.session_id).toBe(wizard.sessionId);
      expect(response.plugin).toBe(PLUGIN_FOR[module]);
      expect(response.llm_used).toBe(variant === 'fakes' ? 'anthropic' : 'offline');
    },
  );

  it('health ping without the key (2 s timeout) answers 200, so the wizard lets the user send', async () => {
    const wizard = new AiChatUniversalWizard(h.odoo());
    expect(await wizard.computeAiServiceConfig()).toBe(true);
    expect(h.exchanges[0].requestHeaders).not.toHaveProperty('Authorization');
    expect(h.exchanges[0].elapsedMs).toBeLessThan(2000);
  });

  it('an open invoice with 160 fields: 200, answered from the record, the second call continues the session', async () => {
    const wizard = new AiChatUniversalWizard(h.odoo(), invoice());
    expect(wizard.activeModule).toBe('account');
    expect(Object.keys(wizard.prepareAiContext().active_record_data as object).length).toBeGreaterThanOrEqual(150);

    const first = await wizard.actionSendMessage(QUESTION_RECORD);
    expect(first.response.session_id).toBe(wizard.sessionId);
    if (variant === 'fakes') {
      const prompt = promptText(h.anthropic!.lastRequest!.body);
      expect(prompt).toMatch(/Factura Electr[oó]nica/);
      expect(prompt).toMatch(/\b33\b/);
      expect(prompt).toMatch(/Folio\D{0,5}0*456\b/);
      expect(prompt).toMatch(/Total\D{0,10}119[.,]?000/);
      expect(prompt).toContain(INVOICE.partner);
      // Bulky and secret fields stay out.
      expect(prompt).not.toContain('Los productos viajan por cuenta y riesgo del comprador. Los productos viajan');
      expect(prompt).not.toContain('3f0d9b0e-5c4c-4e6d-9b4c-1f8f6c2b7d10');
    }

    h.anthropic?.reply('Es una Factura Electrónica (DTE 33) folio 000456 por un total de $119.000.');
    const second = await wizard.actionSendMessage('¿Y cuál es su fecha de vencimiento?');
    expect(second.response.session_id).toBe(wizard.sessionId);
    if (variant === 'fakes') {
      const messages = h.anthropic!.lastRequest!.body.messages;
      expect(messages.length).toBe(3);
      expect(promptText({ messages: [messages[0]] })).toContain(QUESTION_RECORD);
    }
    h.anthropic?.reply('Respuesta de prueba desde Anthropic falso.');

    const history = await new AiChatIntegration(h.odoo()).getConversationHistory(wizard.sessionId);
    expect(history.success).toBe(true);
    expect(history.messages!.length).toBe(4);
    expect(history.messages!.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  (variant === 'fakes' ? it : it.skip)(
    'the prompt stays bounded whatever the record size (160 vs 600 fields)',
    async () => {
      const sizes: Record<number, { payload: number; prompt: number }> = {};
      for (const fields of [160, 600]) {
        const wizard = new AiChatUniversalWizard(h.odoo(), invoice(fields));
        await wizard.actionSendMessage(QUESTION_RECORD);
        sizes[fields] = {
          payload: pythonJsonDumps(wizard.prepareAiContext()).length,
          prompt: JSON.stringify(h.anthropic!.lastRequest!.body).length,
        };
      }
      const bare = new AiChatUniversalWizard(h.odoo());
      await bare.actionSendMessage(QUESTION_RECORD, 'account');
      const withoutRecord = JSON.stringify(h.anthropic!.lastRequest!.body).length;

      expect(sizes[600].payload).toBeGreaterThan(35_000);
      // The record adds at most ~800 tokens (fakes count 4 characters per token), whatever its size.
      expect(sizes[160].prompt - withoutRecord).toBeLessThan(3_200);
      expect(sizes[600].prompt - withoutRecord).toBeLessThan(3_200);
      expect(Math.abs(sizes[600].prompt - sizes[160].prompt)).toBeLessThan(400);
    },
  );
});
