import type { RunningApp } from '../helpers/test-app';
import { chileDaysAgo } from '../odoo/odoo-payloads';

let folioSeq = Math.floor(Math.random() * 1e6);
/** A fresh folio per call, so one test's cache entry never answers another's request. */
export const nextFolio = () => ++folioSeq;

export const EMISOR = '76.086.428-5';
export const RECEPTOR = '96790240-3';

/** Exactly what Odoo's dte.ai.client posts: floats without fraction, string tipo_dte, extra keys. */
export function odooCall(dte: Record<string, unknown> = {}, companyId = 1) {
  return {
    dte_data: {
      tipo_dte: '33',
      folio: nextFolio(),
      fecha_emision: chileDaysAgo(2),
      rut_emisor: EMISOR,
      razon_social_emisor: 'Comercial Los Andes SpA',
      rut_receptor: RECEPTOR,
      razon_social_receptor: 'Distribuidora Pacífico Ltda.',
      monto_neto: 100000.0,
      monto_iva: 19000.0,
      monto_exento: 0.0,
      monto_total: 119000.0,
      ...dte,
    },
    history: [],
    company_id: companyId,
  };
}

/** Reads one sample of a Prometheus counter from /metrics (0 when absent). */
export async function metric(svc: RunningApp, name: string, labels = ''): Promise<number> {
  const text = (await svc.call('GET', '/metrics', undefined, { auth: false })).text;
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** What the Odoo addon derives from the answer. */
export const odooView = (json: {
  recommendation: string;
  errors: string[];
  warnings: string[];
  confidence: number;
}) => ({
  valid: json.recommendation !== 'reject',
  issues: json.errors,
  suggestions: json.warnings,
  confidence: json.confidence,
});
