import { checkIva, checkItems, checkMontoRazonable, checkMontos, checkTotal } from './amount.rules';
import { checkFechaEmision } from './date.rules';
import { checkEmisorReceptor, checkFolio, checkRutEmisor, checkRutReceptor, checkTipoDte } from './identity.rules';
import { checkReferencias } from './reference.rules';
import { Check, DteData, Finding, RuleContext, RuleName, RuleOutcome } from './rule.types';

/** Bump when a rule changes meaning: it is part of the response-cache key. */
export const RULES_VERSION = '2026-11.1';

type Rule = (dte: DteData, ctx: RuleContext) => RuleOutcome;

/** Every deterministic rule, in the order they are reported in `checks`. */
export const RULES: ReadonlyArray<[RuleName, Rule]> = [
  ['tipo_dte', checkTipoDte],
  ['folio', checkFolio],
  ['fecha_emision', checkFechaEmision],
  ['rut_emisor', checkRutEmisor],
  ['rut_receptor', checkRutReceptor],
  ['emisor_receptor', checkEmisorReceptor],
  ['montos', checkMontos],
  ['iva', checkIva],
  ['total', checkTotal],
  ['referencias', checkReferencias],
  ['items', checkItems],
  ['monto_razonable', checkMontoRazonable],
];

export interface RulesReport {
  checks: Check[];
  findings: Finding[];
  errors: Finding[];
  warnings: Finding[];
  /** Checks that could not be verified only because optional data was absent. */
  unverified: number;
}

/** Runs every rule on a normalised `dte_data`. Pure: same input and date, same report. */
export function runRules(dte: DteData, ctx: RuleContext): RulesReport {
  const checks: Check[] = [];
  const findings: Finding[] = [];
  let unverified = 0;
  for (const [rule, run] of RULES) {
    const outcome = run(dte, ctx);
    findings.push(...outcome.findings);
    if (outcome.unverified) unverified++;
    checks.push(toCheck(rule, outcome));
  }
  return {
    checks,
    findings,
    errors: findings.filter((f) => f.severity === 'error'),
    warnings: findings.filter((f) => f.severity === 'warning'),
    unverified,
  };
}

function toCheck(rule: RuleName, outcome: RuleOutcome): Check {
  const errors = outcome.findings.filter((f) => f.severity === 'error');
  if (errors.length) return { rule, passed: false, severity: 'error', message: joined(errors) };
  if (outcome.findings.length) return { rule, passed: true, severity: 'warning', message: joined(outcome.findings) };
  // Not verifiable for lack of optional data is not a failure; not verifiable because inputs are broken is.
  if (outcome.skipped) return { rule, passed: !!outcome.unverified, severity: 'skipped', message: outcome.skipped };
  return { rule, passed: true, severity: 'ok', message: outcome.ok };
}

const joined = (findings: Finding[]) => findings.map((f) => f.message).join(' ');
