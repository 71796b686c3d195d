/** Shared shapes of the deterministic DTE rules (no Nest, no I/O). */
export type RuleName =
  | 'tipo_dte'
  | 'folio'
  | 'fecha_emision'
  | 'rut_emisor'
  | 'rut_receptor'
  | 'emisor_receptor'
  | 'montos'
  | 'iva'
  | 'total'
  | 'referencias'
  | 'items'
  | 'monto_razonable';

export type Severity = 'error' | 'warning';

/** One problem found, naming the field in `dte_data` it concerns. */
export interface Finding {
  rule: RuleName;
  field: string;
  severity: Severity;
  message: string;
}

/** What one rule reports: its findings, or why it could not be evaluated, and its "all good" sentence. */
export interface RuleOutcome {
  findings: Finding[];
  /** Set when the rule could not run (missing or broken inputs reported elsewhere). */
  skipped?: string;
  /** True when the rule could not run only because optional data was absent (lowers confidence). */
  unverified?: boolean;
  ok: string;
}

type CheckSeverity = 'ok' | 'warning' | 'error' | 'skipped';

/** The `checks[]` entry of the answer. */
export interface Check {
  rule: RuleName;
  passed: boolean;
  severity: CheckSeverity;
  message: string;
}

/** Everything the rules need besides the DTE: today's date in Chile (YYYY-MM-DD). */
export interface RuleContext {
  today: string;
}

export type DteData = Record<string, unknown>;

export const finding = (rule: RuleName, field: string, severity: Severity, message: string): Finding => ({
  rule,
  field,
  severity,
  message,
});

/** Short, safe rendering of a received value inside a Spanish message (never throws, whatever the value). */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? `"${value.slice(0, 40)}"` : (JSON.stringify(value) ?? typeof value);
  } catch {
    text = typeof value;
  }
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/**
 * Longest list (items, referencias, impuestos_adicionales) the rules read element by element.
 * The service's own bound, far above real documents: a longer list is one finding, not one per element.
 */
export const MAX_LIST_ITEMS = 1000;

/** The one finding for a list longer than MAX_LIST_ITEMS (the request keeps MAX_LIST_ITEMS + 1 of them). */
export const listTooLong = (rule: RuleName, field: string, severity: Severity = 'error'): Finding =>
  finding(
    rule,
    field,
    severity,
    `La lista ${field} tiene más de ${MAX_LIST_ITEMS} elementos, más de los que el servicio revisa; no se pudo validar.`,
  );
