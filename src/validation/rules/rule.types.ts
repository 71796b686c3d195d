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

export type CheckSeverity = 'ok' | 'warning' | 'error' | 'skipped';

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

/** Short, safe rendering of a received value inside a Spanish message. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
