import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { loadRules } from './monitoring-files';

/** docs/kubernetes/monitoring/prometheusrule.yaml: the rule file's groups, verbatim, as a PrometheusRule. */
export const PROMETHEUS_RULE_FILE = join(
  __dirname,
  '..',
  '..',
  'docs',
  'kubernetes',
  'monitoring',
  'prometheusrule.yaml',
);

const HEADER = `# GENERATED from docs/monitoring/dte-ai-service.rules.yml (the groups, verbatim): do not edit here.
# After changing the rules: npx ts-node --transpile-only test/monitoring/prometheus-rule.ts && npx prettier --write docs/kubernetes/monitoring
# test/deploy/monitoring-component.e2e-spec.ts fails while the two differ.
# The Prometheus Operator loads it when its ruleSelector matches these labels (kube-prometheus-stack's
# default also wants release: <its Helm release name>: add it with a kustomize patch if yours does).
`;

export function prometheusRule() {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'dte-ai-service',
      labels: {
        'app.kubernetes.io/name': 'dte-ai-service',
        'app.kubernetes.io/part-of': 'odoo-dte',
        role: 'alert-rules',
      },
    },
    spec: { groups: loadRules().groups },
  };
}

if (require.main === module) {
  writeFileSync(PROMETHEUS_RULE_FILE, HEADER + dump(prometheusRule(), { lineWidth: 120, noRefs: true }));
}
