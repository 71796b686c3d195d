import { randomBytes } from 'node:crypto';
import { UserError } from './chat-integration.client';
import type { OdooEnv } from './odoo-env';
import { HTTPError, pyRequest, RequestException } from './odoo-http';

/** The addon's module hints (`context.module`). */
export const WIZARD_MODULES = [
  'l10n_cl_dte',
  'account',
  'purchase',
  'sale',
  'stock',
  'hr_payroll',
  'project',
  'general',
] as const;
export type WizardModule = (typeof WIZARD_MODULES)[number];

export interface ActiveRecord {
  model: string;
  id: number;
  displayName: string;
  /** What `_prepare_ai_context` extracts from the record (already in Odoo's wire shapes). */
  data: Record<string, unknown>;
}

/**
 * TypeScript model of `ai.chat.universal.wizard` (wizards/ai_chat_universal_wizard.py): its own
 * session id `chat_{uid}_{8 hex}` made when the wizard opens, a health ping without the key before
 * sending, then `POST /api/chat` with `{message, session_id, context, stream}`; the answer is read
 * with `response.json()['message']` whatever `stream` says.
 */
export class AiChatUniversalWizard {
  static readonly CLIENT = 'ai.chat.universal.wizard';
  readonly sessionId: string;
  aiServiceAvailable = false;

  constructor(
    private readonly env: OdooEnv,
    private readonly active?: ActiveRecord,
    private readonly isStreamingEnabled = true,
    sessionId?: string,
  ) {
    this.sessionId = sessionId ?? `chat_${env.user.id}_${randomBytes(4).toString('hex')}`;
  }

  private url() {
    return this.env.getParam('l10n_cl_dte.ai_service_url', 'http://ai-service:8002');
  }

  /** `_compute_active_module`: substring tests on active_model, in this order. */
  get activeModule(): WizardModule {
    const m = this.active?.model ?? '';
    if (m.includes('account')) return 'account';
    if (m.includes('purchase')) return 'purchase';
    if (m.includes('stock')) return 'stock';
    if (m.includes('sale')) return 'sale';
    if (m.includes('hr') || m.includes('payroll')) return 'hr_payroll';
    if (m.includes('project')) return 'project';
    if (m.includes('dte')) return 'l10n_cl_dte';
    return 'general';
  }

  /** `_compute_ai_service_config`: GET /health, no headers, 2 s; available only on 200. */
  async computeAiServiceConfig(): Promise<boolean> {
    try {
      const response = await pyRequest(
        AiChatUniversalWizard.CLIENT,
        'GET',
        `${this.url()}/health`,
        { timeout: 2 },
        this.env.record,
      );
      this.aiServiceAvailable = response.status_code === 200;
    } catch {
      this.aiServiceAvailable = false;
    }
    return this.aiServiceAvailable;
  }

  /** `_prepare_ai_context` */
  prepareAiContext(): Record<string, unknown> {
    const { user, company } = this.env;
    const context: Record<string, unknown> = {
      user: {
        id: user.id,
        name: user.name,
        login: user.login,
        company_id: company.id,
        company_name: company.name,
        language: user.lang || 'es_CL',
      },
      odoo: {
        active_model: this.active?.model ?? '',
        active_id: this.active?.id ?? 0,
        active_record_name: this.active?.displayName ?? '',
      },
      session_id: this.sessionId,
    };
    if (this.active) context.active_record_data = this.active.data;
    return context;
  }

  /** `_call_ai_service`: raise_for_status, then response.json(). */
  async callAiService(plugin: string, userMessage: string, context: Record<string, unknown>): Promise<any> {
    const apiKey = this.env.getParam('l10n_cl_dte.ai_service_api_key', 'default_ai_api_key');
    const payload = {
      message: userMessage,
      session_id: context.session_id,
      context: { ...context, module: plugin },
      stream: this.isStreamingEnabled,
    };
    const response = await pyRequest(
      AiChatUniversalWizard.CLIENT,
      'POST',
      `${this.url()}/api/chat`,
      {
        json: payload,
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
        timeout: 30,
      },
      this.env.record,
    );
    response.raise_for_status();
    return response.json();
  }

  /**
   * `action_send_message`: the notification it shows on success, or the UserError text. `plugin`
   * is what the addon's ai.agent.selector picked (the active module unless told otherwise).
   */
  async actionSendMessage(userMessage: string, plugin: string = this.activeModule) {
    await this.computeAiServiceConfig();
    if (!this.aiServiceAvailable)
      throw new UserError('El servicio de IA no está disponible.\nVerifica que el AI Service esté ejecutándose.');
    let response: any;
    try {
      response = await this.callAiService(plugin, userMessage, this.prepareAiContext());
    } catch (e) {
      if (e instanceof HTTPError || e instanceof RequestException)
        throw new UserError(`Error comunicándose con AI Service: ${e.message}`);
      throw new UserError(`Error procesando respuesta de IA: ${(e as Error).message}`);
    }
    if (typeof response?.message !== 'string') throw new UserError(`Error procesando respuesta de IA: 'message'`);
    return {
      response,
      notification: { title: 'Respuesta IA', message: `${response.message.slice(0, 200)}...`, type: 'success' },
    };
  }
}
