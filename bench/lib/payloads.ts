/** What the benchmark sends and what the fake LLM answers: realistic sizes, Odoo's shapes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chileDay } from '../../src/common/chile-time';
import { FACTURA_33_EXAMPLE } from '../../src/validation/dto/validation.examples';

const ROOT = join(__dirname, '..', '..');

/** A typical assistant answer (~700 characters, ~180 tokens), the same for our service and Portkey. */
export const CHAT_REPLY =
  'Para emitir una Factura Electrónica (DTE 33) en Odoo 19 con la localización chilena: 1) verifique que la ' +
  'compañía tenga cargado el certificado digital vigente y un CAF con folios disponibles para el tipo 33; ' +
  '2) cree la factura desde Contabilidad > Clientes > Facturas, elija el tipo de documento "(33) Factura ' +
  'Electrónica" y complete el RUT y el giro del receptor; 3) confirme la factura: Odoo asigna el folio, genera ' +
  'el XML firmado y lo envía al SII; 4) revise el estado del envío en la pestaña DTE (aceptado, aceptado con ' +
  'reparos o rechazado) y, si corresponde, envíe el PDF con timbre electrónico al cliente. Si el SII rechaza ' +
  'el documento, corrija el dato indicado y emita una nota de crédito si la factura ya fue aceptada.';

/** The strict JSON the DTE review prompt asks for. */
export const REVIEW_REPLY = JSON.stringify({
  warnings: [],
  confidence: 92,
  notes: 'Sin riesgos adicionales respecto del historial.',
});

/** The labelled questions of the knowledge ranking set (real accountants' questions). */
export const QUESTIONS: string[] = JSON.parse(
  readFileSync(join(ROOT, 'test/knowledge/queries.json'), 'utf8'),
).queries.map((q: { query: string }) => q.query);

export const USER_CONTEXT = {
  company_name: 'Comercial Los Andes SpA',
  company_rut: '76086428-5',
  user_role: 'Contador',
  module: 'l10n_cl_dte',
};

/** A valid Factura 33 envelope; `folio` varies it (a distinct response-cache key per folio). */
export function validationBody(folio = FACTURA_33_EXAMPLE.dte_data.folio) {
  return {
    ...FACTURA_33_EXAMPLE,
    dte_data: { ...FACTURA_33_EXAMPLE.dte_data, folio, fecha_emision: chileDay(new Date()) },
  };
}

/**
 * Portkey's equivalent of one of our chat turns: the same system text, knowledge context and
 * messages our service sent upstream, as an OpenAI chat completion (Portkey translates it back to
 * the Anthropic Messages API). Falls back to a plain question when no turn was captured.
 */
export function portkeyBodyFrom(anthropicBody: any) {
  const text = (c: unknown): string =>
    typeof c === 'string' ? c : Array.isArray(c) ? c.map((b: { text?: string }) => b.text ?? '').join('\n') : '';
  if (!anthropicBody?.messages) {
    return { model: 'claude-sonnet-4-6', max_tokens: 2048, messages: [{ role: 'user', content: QUESTIONS[0] }] };
  }
  return {
    model: anthropicBody.model,
    max_tokens: anthropicBody.max_tokens,
    ...(anthropicBody.temperature !== undefined ? { temperature: anthropicBody.temperature } : {}),
    messages: [
      { role: 'system', content: text(anthropicBody.system) },
      ...anthropicBody.messages.map((m: { role: string; content: unknown }) => ({
        role: m.role,
        content: text(m.content),
      })),
    ],
  };
}
