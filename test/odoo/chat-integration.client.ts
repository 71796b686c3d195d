import type { OdooEnv } from './odoo-env';
import { pyGet, PyResponse, pyRequest, RequestsConnectionError, RequestsTimeout } from './odoo-http';

/** Odoo's `UserError`: the text is what the user sees in the dialog. */
export class UserError extends Error {}

/**
 * TypeScript model of the addon's `ai.chat.integration` (models/ai_chat_integration.py): what it
 * sends, which fields it reads, and how it turns a non-200 into the text its user sees.
 */
export class AiChatIntegration {
  static readonly CLIENT = 'ai.chat.integration';

  constructor(
    private readonly env: OdooEnv,
    private readonly record?: Record<string, unknown>,
  ) {}

  private baseUrl() {
    return this.env.getParam('l10n_cl_dte.ai_service_url', 'http://ai-service:8002');
  }

  private timeout() {
    return Number.parseInt(this.env.getParam('l10n_cl_dte.ai_service_timeout', '30'), 10);
  }

  /** `_get_request_headers`: no Authorization header at all when the key is empty. */
  private headers(): Record<string, string> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'Odoo-19-l10n_cl_dte/1.0',
    };
    const key = this.env.getParam('l10n_cl_dte.ai_service_api_key', '');
    if (key) headers.Authorization = `Bearer ${key}`;
    return headers;
  }

  private send(
    method: string,
    path: string,
    opts: {
      json?: unknown;
      params?: Record<string, string | number>;
      headers?: Record<string, string>;
      timeout?: number;
    } = {},
  ) {
    return pyRequest(
      AiChatIntegration.CLIENT,
      method,
      `${this.baseUrl()}${path}`,
      { headers: this.headers(), timeout: this.timeout(), ...opts },
      this.env.record,
    );
  }

  /** `_build_user_context`: company, user, role, SII environment, language (+ DTE keys on invoices). */
  buildUserContext(): Record<string, unknown> {
    const { user, company } = this.env;
    const sii = this.env.getParam('l10n_cl_dte.sii_environment', 'sandbox');
    const context: Record<string, unknown> = {
      company_name: company.name,
      company_rut: company.vat || 'N/A',
      user_name: user.name,
      user_email: user.email || 'N/A',
      user_role: user.isSystem ? 'Administrador' : 'Usuario',
      environment: sii === 'production' ? 'Producción' : 'Sandbox (Maullin)',
      language: user.lang || 'es_CL',
    };
    if (this.record && 'dte_type_id' in this.record) {
      const dteType = this.record.dte_type_id as { code?: string } | false;
      context.dte_type = dteType ? (dteType.code ?? null) : null;
      context.dte_status = this.record.dte_status ?? null;
    }
    return context;
  }

  /** "Probar Conexión": GET /health with the Bearer header (timeout ≤ 10 s), reads `status`. */
  async checkAiServiceHealth() {
    const key = this.env.getParam('l10n_cl_dte.ai_service_api_key', false);
    try {
      const response = await pyRequest(
        AiChatIntegration.CLIENT,
        'GET',
        `${this.baseUrl()}/health`,
        {
          headers: key ? { Authorization: `Bearer ${key}` } : {},
          timeout: Math.min(this.timeout(), 10),
        },
        this.env.record,
      );
      if (response.status_code === 200) {
        const data = response.json();
        return { success: true, status: pyGet<string>(data, 'status', 'healthy'), details: data };
      }
      return { success: false, status: 'unhealthy', error: `HTTP ${response.status_code}` };
    } catch (e) {
      if (e instanceof RequestsTimeout) return { success: false, status: 'timeout', error: 'Service timeout' };
      if (e instanceof RequestsConnectionError)
        return { success: false, status: 'unavailable', error: 'Service unavailable' };
      return { success: false, status: 'error', error: String(e) };
    }
  }

  async createChatSession(userContext?: Record<string, unknown>) {
    const context = { ...this.buildUserContext(), ...(userContext ?? {}) };
    const response = await this.guard('crear sesión', () =>
      this.send('POST', '/api/chat/session/new', { json: { user_context: context } }),
    );
    if (response.status_code === 200) {
      const data = response.json();
      return {
        success: true,
        session_id: pyGet<string>(data, 'session_id'),
        welcome_message: pyGet<string>(data, 'welcome_message'),
      };
    }
    throw new UserError(
      `No se pudo crear la sesión de chat con el asistente IA.\nError: ${this.parseErrorResponse(response)}`,
    );
  }

  async sendChatMessage(sessionId: string, message: string, userContext?: Record<string, unknown>) {
    const context = { ...this.buildUserContext(), ...(userContext ?? {}) };
    const response = await this.guard('enviar', () =>
      this.send('POST', '/api/chat/message', { json: { session_id: sessionId, message, user_context: context } }),
    );
    if (response.status_code === 200) {
      const data = response.json();
      return {
        success: true,
        message: pyGet<string>(data, 'message'),
        sources: pyGet<string[]>(data, 'sources', []),
        confidence: pyGet<number>(data, 'confidence', 0.0),
        session_id: pyGet<string>(data, 'session_id'),
        llm_used: pyGet<string>(data, 'llm_used'),
        tokens_used: pyGet<Record<string, number>>(data, 'tokens_used'),
      };
    }
    throw new UserError(`No se pudo enviar el mensaje al asistente IA.\nError: ${this.parseErrorResponse(response)}`);
  }

  async getConversationHistory(sessionId: string) {
    try {
      const response = await this.send('GET', `/api/chat/session/${sessionId}`);
      if (response.status_code === 200) {
        const data = response.json();
        return {
          success: true,
          session_id: pyGet<string>(data, 'session_id'),
          messages: pyGet<any[]>(data, 'messages', []),
          stats: pyGet<Record<string, unknown>>(data, 'stats', {}),
        };
      }
      return { success: false, error: this.parseErrorResponse(response) };
    } catch (e) {
      return { success: false, error: String((e as Error).message) };
    }
  }

  async clearChatSession(sessionId: string) {
    try {
      const response = await this.send('DELETE', `/api/chat/session/${sessionId}`);
      if (response.status_code === 200) return { success: true };
      return { success: false, error: this.parseErrorResponse(response) };
    } catch (e) {
      return { success: false, error: String((e as Error).message) };
    }
  }

  async searchKnowledgeBase(query: string, topK = 3) {
    try {
      const response = await this.send('GET', '/api/chat/knowledge/search', { params: { query, top_k: topK } });
      if (response.status_code === 200) {
        const data = response.json();
        return { success: true, query: pyGet<string>(data, 'query'), results: pyGet<any[]>(data, 'results', []) };
      }
      return { success: false, error: this.parseErrorResponse(response) };
    } catch (e) {
      return { success: false, error: String((e as Error).message) };
    }
  }

  /** `_parse_error_response`: the JSON `detail`, else `HTTP <code>`; not JSON → `HTTP <code>: <text[:100]>`. */
  parseErrorResponse(response: PyResponse): string {
    try {
      return pyGet<string>(response.json(), 'detail', `HTTP ${response.status_code}`)!;
    } catch {
      return `HTTP ${response.status_code}: ${response.text.slice(0, 100)}`;
    }
  }

  /** The timeout / connection branches of create_chat_session and send_chat_message. */
  private async guard(action: 'crear sesión' | 'enviar', call: () => Promise<PyResponse>): Promise<PyResponse> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof RequestsTimeout) {
        throw new UserError(
          action === 'enviar'
            ? 'Timeout esperando respuesta del asistente IA.\nPor favor, intente nuevamente.'
            : 'Timeout al conectar con el asistente IA.\nPor favor, intente nuevamente.',
        );
      }
      if (e instanceof RequestsConnectionError)
        throw new UserError('No se pudo conectar con el asistente IA.\nVerifique que el servicio esté en ejecución.');
      throw e;
    }
  }
}
