import createClient from 'openapi-fetch';
import type { paths } from '@generated/dte-ai-service';

/**
 * Odoo's calls (docs/odoo-integration.md §1), written against a client generated from /docs-json
 * with openapi-typescript + openapi-fetch, the way an integrator would. openapi.e2e-spec.ts
 * type-checks this file against the types generated from the running service (strict), then runs
 * it. `@generated/dte-ai-service` is mapped to those types there; generated-api.stub.d.ts stands in
 * for them in the repository's own type check.
 */
export async function odooCalls(baseUrl: string, apiKey: string) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Santiago' }).format(new Date());
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
  const out: Record<string, { status: number; data?: unknown; error?: unknown }> = {};
  const keep = (name: string, r: { response: Response; data?: unknown; error?: unknown }) =>
    (out[name] = { status: r.response.status, data: r.data, error: r.error });

  // "Probar Conexión": /health with the Bearer header (accepted and ignored).
  keep('health', await client.GET('/health', {}));

  // 🤖 Asistente IA: open, send, history, knowledge search, new conversation.
  const session = await client.POST('/api/chat/session/new', {
    body: {
      user_context: {
        company_name: 'Comercial Los Andes SpA',
        company_rut: '76.086.428-5',
        user_name: 'Mitchell Admin',
        user_role: 'Administrador',
        environment: 'certification',
        language: 'es_CL',
      },
    },
  });
  keep('session_new', session);
  const sessionId = session.data?.session_id ?? 'missing';
  keep(
    'message',
    await client.POST('/api/chat/message', {
      body: {
        session_id: sessionId,
        message: '¿Cómo emito una nota de crédito que anula una factura?',
        user_context: { company_name: 'Comercial Los Andes SpA' },
      },
    }),
  );
  keep('history', await client.GET('/api/chat/session/{id}', { params: { path: { id: sessionId } } }));
  keep(
    'knowledge_search',
    await client.GET('/api/chat/knowledge/search', { params: { query: { query: 'nota de credito', top_k: 3 } } }),
  );
  keep('delete', await client.DELETE('/api/chat/session/{id}', { params: { path: { id: sessionId } } }));
  keep('history_after_delete', await client.GET('/api/chat/session/{id}', { params: { path: { id: sessionId } } }));

  // "Ayuda IA": the universal wizard, with its own session id and the open record.
  keep(
    'universal',
    await client.POST('/api/chat', {
      body: {
        message: '¿Qué tipo de documento es este y cuál es su total?',
        session_id: `chat_2_${Date.now().toString(16).slice(-8)}`,
        stream: false,
        context: {
          module: 'l10n_cl_dte',
          odoo: { active_model: 'account.move', active_id: 42, active_record_name: 'FAC 000123' },
          active_record_data: { name: 'FAC 000123', amount_total: 119000, partner_id: false },
        },
      },
    }),
  );

  // DTE pre-validation as dte.ai.client sends it: tipo_dte a string, amounts floats, Odoo's own keys.
  keep(
    'validate',
    await client.POST('/api/ai/validate', {
      body: {
        dte_data: {
          tipo_dte: '33',
          folio: 5001,
          fecha_emision: today,
          rut_emisor: '76.086.428-5',
          razon_social_emisor: 'Comercial Los Andes SpA',
          rut_receptor: '96.790.240-3',
          monto_neto: 100000.0,
          monto_iva: 19000.0,
          monto_exento: 0.0,
          monto_total: 119000.0,
          giro_emisor: 'Ferretería',
          direccion_receptor: false,
        },
        history: [],
        company_id: 1,
      },
    }),
  );
  // The received-DTE check: tipo_dte a number, folio a string, a broken total, mode "reception".
  keep(
    'validate_reception',
    await client.POST('/api/ai/validate', {
      body: {
        dte_data: {
          tipo_dte: 33,
          folio: '5002',
          fecha_emision: today,
          rut_emisor: '96.790.240-3',
          rut_receptor: '76.086.428-5',
          monto_neto: 50000,
          monto_iva: 9500,
          monto_total: 60000,
        },
        history: [{ folio: 870, tipo_dte: 61, motivo: 'Referencia a folio inexistente' }],
        company_id: 1,
        mode: 'reception',
      },
    }),
  );
  // The older AIApiClient: the DTE itself as the body, `tipo` and `iva`.
  keep(
    'validate_bare',
    await client.POST('/api/ai/validate', {
      body: {
        tipo: 33,
        folio: 5003,
        fecha_emision: today,
        rut_emisor: '76086428-5',
        rut_receptor: '96790240-3',
        monto_neto: 50000,
        iva: 9500,
        monto_total: 59500,
      },
    }),
  );
  keep('costs', await client.GET('/metrics/costs', { params: { query: { period: 'today' } } }));
  return out;
}
