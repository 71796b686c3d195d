import type { OdooEnv } from './odoo-env';
import { pyGet, pyRequest, RequestException } from './odoo-http';

export interface AddonVerdict {
  valid: boolean;
  confidence: number;
  issues: string[];
  suggestions: string[];
}

/**
 * TypeScript model of the addon's `dte.ai.client` (models/dte_ai_client.py), reading its own
 * `dte.ai_service_*` parameters. It fails open: no key, a non-200 or any exception is "valid"
 * with confidence 0, so the service must say "reject" with a 200 for the check to mean anything.
 */
export class DteAiClient {
  static readonly CLIENT = 'dte.ai.client';

  constructor(private readonly env: OdooEnv) {}

  private config() {
    return {
      url: this.env.getParam('dte.ai_service_url', 'http://ai-service:8002'),
      apiKey: this.env.getParam('dte.ai_service_api_key', ''),
      timeout: Number.parseInt(this.env.getParam('dte.ai_service_timeout', '10'), 10),
    };
  }

  /** validate_dte_with_ai(dte_data) */
  async validateDteWithAi(dteData: Record<string, unknown>): Promise<AddonVerdict> {
    const { url, apiKey, timeout } = this.config();
    if (!apiKey) return { valid: true, confidence: 0, issues: [], suggestions: ['AI Service no configurado'] };
    try {
      const payload = { dte_data: dteData, history: [], company_id: this.env.company.id };
      const response = await pyRequest(
        DteAiClient.CLIENT,
        'POST',
        `${url}/api/ai/validate`,
        { json: payload, headers: { Authorization: `Bearer ${apiKey}` }, timeout },
        this.env.record,
      );
      if (response.status_code === 200) {
        const result = response.json();
        return {
          valid: pyGet(result, 'recommendation') !== 'reject',
          confidence: pyGet<number>(result, 'confidence', 0)!,
          issues: pyGet<string[]>(result, 'errors', [])!,
          suggestions: pyGet<string[]>(result, 'warnings', [])!,
        };
      }
      return { valid: true, confidence: 0, issues: [], suggestions: [`AI Service error: ${response.status_code}`] };
    } catch (e) {
      return {
        valid: true,
        confidence: 0,
        issues: [],
        suggestions: [`AI error: ${String((e as Error).message).slice(0, 50)}`],
      };
    }
  }

  /** validate_received_dte(dte_data, vendor_history): same endpoint, `mode: "reception"` at the top level. */
  async validateReceivedDte(dteData: Record<string, unknown>, vendorHistory?: unknown[]) {
    const { url, apiKey, timeout } = this.config();
    const map: Record<string, string> = { send: 'accept', review: 'review', reject: 'reject' };
    if (!apiKey)
      return {
        valid: true,
        confidence: 0,
        anomalies: [],
        warnings: ['AI Service no configurado - validación manual requerida'],
        recommendation: 'review',
      };
    try {
      const payload = {
        dte_data: dteData,
        history: vendorHistory ?? [],
        company_id: this.env.company.id,
        mode: 'reception',
      };
      const response = await pyRequest(
        DteAiClient.CLIENT,
        'POST',
        `${url}/api/ai/validate`,
        { json: payload, headers: { Authorization: `Bearer ${apiKey}` }, timeout },
        this.env.record,
      );
      if (response.status_code === 200) {
        const result = response.json();
        return {
          valid: pyGet(result, 'recommendation') !== 'reject',
          confidence: pyGet<number>(result, 'confidence', 0)!,
          anomalies: pyGet<string[]>(result, 'errors', [])!,
          warnings: pyGet<string[]>(result, 'warnings', [])!,
          recommendation: map[String(pyGet(result, 'recommendation'))] ?? 'review',
        };
      }
      return {
        valid: true,
        confidence: 0,
        anomalies: [],
        warnings: [`AI Service error: ${response.status_code}`],
        recommendation: 'review',
      };
    } catch (e) {
      return {
        valid: true,
        confidence: 0,
        anomalies: [],
        warnings: [`AI error: ${String((e as Error).message).slice(0, 50)}`],
        recommendation: 'review',
      };
    }
  }
}

/**
 * TypeScript model of the older `AIApiClient` (tools/dte_api_client.py): posts the DTE dict itself
 * as the body, `raise_for_status()`, returns the JSON untouched; on any request error a neutral
 * "send" with confidence 50. Fixed 30 s timeout; key from `l10n_cl_dte.ai_api_key`.
 */
export class AIApiClient {
  static readonly CLIENT = 'AIApiClient';
  static readonly NEUTRAL = {
    confidence: 50,
    warnings: ['AI Service no disponible'],
    errors: [],
    recommendation: 'send',
  };
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeout = 30;

  constructor(private readonly env: OdooEnv) {
    this.baseUrl = env.getParam('l10n_cl_dte.ai_service_url', 'http://ai-service:8002');
    this.apiKey = env.getParam('l10n_cl_dte.ai_api_key', 'default_ai_api_key');
  }

  private headers() {
    return {
      Authorization: `Bearer ${this.apiKey}`,
      'Content-Type': 'application/json',
      'User-Agent': 'Odoo-AI-Client/1.0',
    };
  }

  async validateDte(dteData: Record<string, unknown>): Promise<Record<string, any>> {
    try {
      const response = await pyRequest(
        AIApiClient.CLIENT,
        'POST',
        `${this.baseUrl}/api/ai/validate`,
        { json: dteData, headers: this.headers(), timeout: this.timeout },
        this.env.record,
      );
      response.raise_for_status();
      return response.json();
    } catch (e) {
      if (e instanceof RequestException) return { ...AIApiClient.NEUTRAL };
      throw e;
    }
  }

  /** health_check(): GET /health without any header, 5 s, true on 200. */
  async healthCheck(): Promise<boolean> {
    try {
      const response = await pyRequest(
        AIApiClient.CLIENT,
        'GET',
        `${this.baseUrl}/health`,
        { timeout: 5 },
        this.env.record,
      );
      return response.status_code === 200;
    } catch {
      return false;
    }
  }
}
