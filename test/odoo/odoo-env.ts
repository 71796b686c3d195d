import type { ExchangeRecorder } from './odoo-http';

/** The bits of an Odoo environment the four clients read: system parameters, user, company. */
export interface OdooUser {
  id: number;
  name: string;
  login: string;
  email: string | false;
  lang: string | false;
  /** `user.has_group('base.group_system')` */
  isSystem: boolean;
}

export interface OdooCompany {
  id: number;
  name: string;
  /** `company.partner_id.vat` (the RUT), Odoo's False when empty. */
  vat: string | false;
}

export class OdooEnv {
  constructor(
    /** ir.config_parameter as strings, as Odoo stores them. */
    readonly params: Record<string, string>,
    readonly user: OdooUser,
    readonly company: OdooCompany,
    /** Called with every HTTP exchange (for transcripts). */
    readonly record?: ExchangeRecorder,
  ) {}

  /** `env['ir.config_parameter'].sudo().get_param(key, default)` */
  getParam(key: string, fallback: string): string;
  getParam(key: string, fallback: false): string | false;
  getParam(key: string, fallback: string | false): string | false {
    const value = this.params[key];
    return value === undefined || value === '' ? fallback : value;
  }
}

const ADMIN: OdooUser = {
  id: 2,
  name: 'Mitchell Admin',
  login: 'admin',
  email: 'admin@comercial-andes.cl',
  lang: 'es_CL',
  isSystem: true,
};
export const COMPANY: OdooCompany = { id: 1, name: 'Comercial Los Andes SpA', vat: '76.086.428-5' };

/**
 * The system parameters an administrator sets for this service (docs/odoo-integration.md): both
 * the `l10n_cl_dte.*` names (chat model, wizard, older client) and the DTE client's `dte.*` names.
 */
export function odooFor(
  url: string,
  key: string,
  opts: { record?: ExchangeRecorder; user?: OdooUser; extra?: Record<string, string> } = {},
): OdooEnv {
  return new OdooEnv(
    {
      'l10n_cl_dte.ai_service_url': url,
      'l10n_cl_dte.ai_service_api_key': key,
      'l10n_cl_dte.ai_service_timeout': '30',
      // Settings screen field "API Key AI Service"; the older AIApiClient reads this one.
      'l10n_cl_dte.ai_api_key': key,
      'l10n_cl_dte.sii_environment': 'sandbox',
      'dte.ai_service_url': url,
      'dte.ai_service_api_key': key,
      'dte.ai_service_timeout': '10',
      ...(opts.extra ?? {}),
    },
    opts.user ?? ADMIN,
    COMPANY,
    opts.record,
  );
}
