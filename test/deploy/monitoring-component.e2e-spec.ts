import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { JOB, loadRules } from '../monitoring/monitoring-files';
import { PROMETHEUS_RULE_FILE, prometheusRule } from '../monitoring/prometheus-rule';
import { loadManifests, officialSchemaError, REPO_ROOT, strictFieldErrors } from './k8s-schema';

/** docs/kubernetes/monitoring/: the optional kustomize Component for the Prometheus Operator. */
const BASE = join(REPO_ROOT, 'docs', 'kubernetes');
const DIR = join(BASE, 'monitoring');
const yaml = (path: string) => load(readFileSync(path, 'utf8')) as any;
const docs = loadManifests(DIR, ['servicemonitor.yaml', 'prometheusrule.yaml']);
const kind = (k: string) => docs.find((d) => d.doc.kind === k)!.doc;
const service = () => loadManifests(BASE, ['service.yaml']).find((d) => d.doc.metadata.name === 'dte-ai-service')!.doc;

describe('Kubernetes monitoring component', () => {
  it('validates the ServiceMonitor and the PrometheusRule against the operator CRD schemas', () => {
    expect(docs.map((d) => d.doc.kind).sort()).toEqual(['PrometheusRule', 'ServiceMonitor']);
    for (const { doc } of docs) expect(officialSchemaError(doc)).toBeNull();
    expect(strictFieldErrors(docs.map((d) => d.doc))).toEqual([[], []]);
  }, 30_000);

  it('the schema checks do reject a broken ServiceMonitor (negative control)', () => {
    const clone = () => JSON.parse(JSON.stringify(kind('ServiceMonitor')));
    const numeric = clone();
    numeric.spec.endpoints[0].interval = 30;
    expect(officialSchemaError(numeric)).toMatch(/interval/);
    const typo = clone();
    typo.spec.endpoints[0].intervall = typo.spec.endpoints[0].interval;
    delete typo.spec.endpoints[0].interval;
    expect(strictFieldErrors([typo])[0].join('\n')).toMatch(/intervall/);
  }, 30_000);

  it('the PrometheusRule carries exactly the groups of docs/monitoring/dte-ai-service.rules.yml', () => {
    expect(kind('PrometheusRule').spec.groups).toEqual(loadRules().groups);
    expect(yaml(PROMETHEUS_RULE_FILE)).toEqual(prometheusRule());
  });

  it('the ServiceMonitor scrapes /metrics on the Service port, so the job is the one the rules select', () => {
    const sm = kind('ServiceMonitor');
    const svc = service();
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
    expect(sm.spec.endpoints).toHaveLength(1);
    expect(svc.spec.ports.map((p: any) => p.name)).toContain(sm.spec.endpoints[0].port);
    expect(sm.spec.endpoints[0].path).toBe('/metrics');
    // No jobLabel: the operator names the job after the Service.
    expect(sm.spec.jobLabel).toBeUndefined();
    expect(svc.metadata.name).toBe(JOB);
  });

  it('is a kustomize Component listed (commented out, so it stays optional) in the kustomization', () => {
    const component = yaml(join(DIR, 'kustomization.yaml'));
    expect(component).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component' });
    expect([...component.resources].sort()).toEqual(['prometheusrule.yaml', 'servicemonitor.yaml']);
    const text = readFileSync(join(BASE, 'kustomization.yaml'), 'utf8');
    // Uncommenting the two lines gives a kustomization that includes the component.
    const enabled = load(text.replace(/^# components:\n#   - monitoring$/m, 'components:\n  - monitoring')) as any;
    expect(enabled.components).toEqual(['monitoring']);
    expect((yaml(join(BASE, 'kustomization.yaml')) as any).components).toBeUndefined();
    for (const { doc } of docs) {
      expect(doc.metadata.labels['app.kubernetes.io/part-of']).toBe('odoo-dte');
      expect(doc.metadata.namespace).toBeUndefined();
    }
  });

  it('the NetworkPolicy admits the Prometheus pods of the monitoring namespace on the metrics port', () => {
    const policy = loadManifests(BASE, ['networkpolicy.yaml']).find(
      (d) => d.doc.metadata.name === 'dte-ai-service',
    )!.doc;
    const ingress = policy.spec.ingress[0];
    expect(ingress.from).toContainEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    });
    expect(ingress.ports).toEqual([{ protocol: 'TCP', port: service().spec.ports[0].port }]);
  });
});
