import { checkIva, checkItems, checkMontoRazonable, checkMontos, checkTotal } from './amount.rules';
import { checkFechaEmision } from './date.rules';
import { checkEmisorReceptor, checkFolio, checkRutEmisor, checkRutReceptor, checkTipoDte } from './identity.rules';
import { checkReferencias } from './reference.rules';
import { Check, DteData, Finding, finding, RuleContext, RuleName, RuleOutcome } from './rule.types';

/** Bump when a rule changes meaning: it is part of the response-cache key. */
export const RULES_VERSION = '2026-12.1';

/** Findings one rule reports at most; the rest are counted in one closing finding. */
export const MAX_FINDINGS_PER_RULE = 10;

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
  /** Rules that threw (a bug): each became a warning, so the verdict is at least `review`; the caller logs them. */
  failures: { rule: RuleName; error: unknown }[];
}

/**
 * Runs every rule on a normalised `dte_data`. Pure: same input and date, same report. A rule that
 * throws is reported as not evaluated with a warning (never a crash of the whole verdict), and no
 * rule reports more than MAX_FINDINGS_PER_RULE findings.
 */
export function runRules(dte: DteData, ctx: RuleContext, rules: ReadonlyArray<[RuleName, Rule]> = RULES): RulesReport {
  const checks: Check[] = [];
  let findings: Finding[] = [];
  const failures: RulesReport['failures'] = [];
  let unverified = 0;
  for (const [rule, run] of rules) {
    let outcome: RuleOutcome;
    try {
      outcome = run(dte, ctx);
    } catch (error) {
      failures.push({ rule, error });
      outcome = crashed(rule);
    }
    outcome = { ...outcome, findings: capped(rule, outcome.findings) };
    findings = findings.concat(outcome.findings);
    if (outcome.unverified) unverified++;
    checks.push(toCheck(rule, outcome));
  }
  return {
    checks,
    findings,
    errors: findings.filter((f) => f.severity === 'error'),
    warnings: findings.filter((f) => f.severity === 'warning'),
    unverified,
    failures,
  };
}

function crashed(rule: RuleName): RuleOutcome {
  return {
    ok: '',
    skipped: `No evaluado: error interno al aplicar la regla ${rule}.`,
    findings: [
      finding(
        rule,
        rule,
        'warning',
        `La regla ${rule} no se pudo aplicar por un error interno del servicio; revise ese punto manualmente.`,
      ),
    ],
  };
}

/** The first MAX_FINDINGS_PER_RULE findings, then one counting the rest (an error if any of them is). */
function capped(rule: RuleName, findings: Finding[]): Finding[] {
  if (findings.length <= MAX_FINDINGS_PER_RULE) return findings;
  const rest = findings.slice(MAX_FINDINGS_PER_RULE);
  const severity = rest.some((f) => f.severity === 'error') ? 'error' : 'warning';
  return [
    ...findings.slice(0, MAX_FINDINGS_PER_RULE),
    finding(
      rule,
      rest[0].field,
      severity,
      `… y ${rest.length} hallazgos más de la regla ${rule} (se muestran los primeros ${MAX_FINDINGS_PER_RULE}).`,
    ),
  ];
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
