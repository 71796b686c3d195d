import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

/** docs/monitoring/ as the tests read it: the rules, their promtool tests and the dashboard. */
export const MONITORING_DIR = join(__dirname, '..', '..', 'docs', 'monitoring');
export const RULES_FILE = join(MONITORING_DIR, 'dte-ai-service.rules.yml');
export const RULES_TEST_FILE = join(MONITORING_DIR, 'dte-ai-service.rules.test.yml');
export const DASHBOARD_FILE = join(MONITORING_DIR, 'dte-ai-service.dashboard.json');
export const JOB = 'dte-ai-service';

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export const loadRules = (): { groups: Array<{ name: string; rules: AlertRule[] }> } =>
  load(readFileSync(RULES_FILE, 'utf8')) as any;

export const alertRules = (): AlertRule[] => loadRules().groups.flatMap((g) => g.rules);

export const loadDashboard = (): any => JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8'));

/** Every panel, rows' children included. */
export function dashboardPanels(dashboard = loadDashboard()): any[] {
  return dashboard.panels.flatMap((p: any) => [p, ...(p.panels ?? [])]);
}

/** Every query of the dashboard, named `panel title / refId`. */
export function dashboardQueries(dashboard = loadDashboard()): Array<{ name: string; expr: string }> {
  return dashboardPanels(dashboard).flatMap((p) =>
    (p.targets ?? []).map((t: any) => ({ name: `${p.title} / ${t.refId}`, expr: t.expr as string })),
  );
}

/**
 * Grafana's variables as Grafana would expand them for an instant query: the job, a rate window
 * that holds several 1 s scrapes, and the dashboard range.
 */
export function expandGrafanaVariables(expr: string): string {
  return expr.replaceAll('$job', JOB).replaceAll('$__rate_interval', '1m').replaceAll('$__range', '10m');
}

/** The vector selectors of an expression (`name{matchers}`), as written. */
export function selectors(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)].map((m) => m[0]);
}
