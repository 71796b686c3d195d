import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { buildAppConfig } from '../../src/config/app-config';
import { CONTRACT_ENV, schemaEnvNames, SECRET_KEYS, SECRET_VARIABLES } from './env-names';
import { K8sDoc, loadManifests, officialSchemaError, REPO_ROOT, strictFieldErrors } from './k8s-schema';

/** docs/kubernetes/: every manifest against the official schemas (offline) + the deployment's semantics. */
const DIR = join(REPO_ROOT, 'docs', 'kubernetes');
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
const ALL: K8sDoc[] = loadManifests(DIR, FILES);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function one(kind: string, name?: string) {
  const found = ALL.filter((d) => d.doc.kind === kind && (!name || d.doc.metadata?.name === name));
  expect(found).toHaveLength(1);
  return found[0].doc;
}
const deployment = () => one('Deployment');
const container = () => deployment().spec.template.spec.containers[0];
const configMap = () => one('ConfigMap');
const secret = () => one('Secret');
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const namedPort = (c: any, port: string | number) =>
  typeof port === 'number' ? port : c.ports.find((p: any) => p.name === port)?.containerPort;

describe('Kubernetes manifests: official schemas', () => {
  it('has the expected files and kinds', () => {
    const kinds = ALL.map((d) => d.doc.kind).sort();
    expect(kinds).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'Namespace',
        'NetworkPolicy',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Secret',
        'Service',
        'Service',
        'Service',
        'StatefulSet',
      ].sort(),
    );
  });

  it.each(ALL.map((d) => [`${d.file}#${d.index} ${d.doc.kind}`, d]))(
    '%s validates against the Kubernetes OpenAPI schema',
    (_n, d) => {
      expect(officialSchemaError(d.doc)).toBeNull();
    },
  );

  it('has no unknown fields anywhere (strict check through the typed models)', () => {
    const errors = strictFieldErrors(ALL.map((d) => d.doc));
    const report = ALL.map((d, i) => [`${d.file}#${d.index}`, errors[i]]).filter(([, e]) => (e as string[]).length);
    expect(report).toEqual([]);
  }, 30000);

  it('the checkers do reject broken manifests (negative controls)', () => {
    const typo = clone(deployment());
    typo.spec.template.spec.containers[0].livenessprobe = typo.spec.template.spec.containers[0].livenessProbe;
    delete typo.spec.template.spec.containers[0].livenessProbe;
    const [typoErrors] = strictFieldErrors([typo]);
    expect(typoErrors.join('\n')).toMatch(/livenessprobe/);

    const numericConfig = clone(configMap());
    numericConfig.data.PORT = 8002;
    expect(officialSchemaError(numericConfig)).toMatch(/PORT must be string/);

    const badPort = clone(deployment());
    badPort.spec.template.spec.containers[0].ports[0].containerPort = '8002x';
    expect(officialSchemaError(badPort)).toMatch(/containerPort/);
  }, 30000);
});

describe('Kubernetes manifests: configuration', () => {
  const known = schemaEnvNames();

  it('ConfigMap and Secret only hold variables the service reads, with the contract names', () => {
    const keys = [...Object.keys(configMap().data), ...Object.keys(secret().stringData)];
    expect(keys.filter((k) => !known.includes(k))).toEqual([]);
    expect(new Set(keys).size).toBe(keys.length);
    // Every contract variable is set, except the optional endpoint overrides (SDK default / host-port form).
    const optional = ['REDIS_URL', 'ANTHROPIC_BASE_URL', 'OPENAI_BASE_URL'];
    expect(CONTRACT_ENV.filter((k) => !optional.includes(k) && !keys.includes(k))).toEqual([]);
  });

  it('secrets are only in the Secret, and the Secret is only secrets', () => {
    expect(Object.keys(secret().stringData).sort()).toEqual([...SECRET_KEYS].sort());
    expect(Object.keys(configMap().data).filter((k) => SECRET_VARIABLES.has(k))).toEqual([]);
    expect(secret().type).toBe('Opaque');
  });

  it('the ConfigMap passes the service own config validation in production', () => {
    const cfg = buildAppConfig({ ...configMap().data, AI_SERVICE_API_KEY: 'k'.repeat(32) + ',' + 'o'.repeat(32) });
    expect(cfg.isProduction).toBe(true);
    expect(cfg.port).toBe(8002);
    expect(cfg.apiKeys).toHaveLength(2);
    expect(cfg.redis).toEqual({ url: 'redis://dte-ai-redis:6379/1', db: 1 });
  });

  it('the Secret template cannot start a pod until its placeholder key is replaced', () => {
    const env = { ...configMap().data, ...secret().stringData };
    expect(() => buildAppConfig(env)).toThrow(/AI_SERVICE_API_KEY/);
  });
});

describe('Kubernetes manifests: Deployment', () => {
  it('runs 3 replicas whose pods carry the selector labels', () => {
    const d = deployment();
    expect(d.spec.replicas).toBe(3);
    expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
    expect(d.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('probes: startup and liveness on /health/live, readiness on /health/ready, on the service port', () => {
    const c = container();
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8002, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet.path).toBe('/health/live');
    expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(c.startupProbe.httpGet.path).toBe('/health/live');
    for (const p of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
      expect(namedPort(c, p.httpGet.port)).toBe(Number(configMap().data.PORT));
    }
    // The startup probe allows a slow start before liveness can kill the pod.
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(30);
  });

  it('sets requests and limits for cpu and memory (limits within the seeds: 1 CPU / 1 GiB)', () => {
    const { requests, limits } = container().resources;
    expect(requests).toEqual({ cpu: '500m', memory: '512Mi' });
    expect(limits).toEqual({ cpu: '1', memory: '1Gi' });
  });

  it('runs as the image non-root user with a read-only root filesystem and no capabilities', () => {
    const pod = deployment().spec.template.spec;
    const c = container();
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    // uid 1000 is the `node` user the Dockerfile switches to.
    expect(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8')).toMatch(/^USER node$/m);
    // A writable /tmp is the only writable path.
    const tmp = c.volumeMounts.find((m: any) => m.mountPath === '/tmp');
    expect(pod.volumes.find((v: any) => v.name === tmp.name).emptyDir).toBeDefined();
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('takes its environment from the ConfigMap and the Secret of this directory', () => {
    expect(container().envFrom).toEqual([
      { configMapRef: { name: configMap().metadata.name } },
      { secretRef: { name: secret().metadata.name } },
    ]);
    expect(container().env).toBeUndefined();
  });

  it('drains before shutdown: grace period > preStop sleep + SHUTDOWN_GRACE_MS', () => {
    const pod = deployment().spec.template.spec;
    const cmd = container().lifecycle.preStop.exec.command;
    expect(cmd[0]).toBe('sleep');
    const sleepMs = Number(cmd[1]) * 1000;
    expect(sleepMs).toBeGreaterThan(0);
    const graceMs = Number(configMap().data.SHUTDOWN_GRACE_MS);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(sleepMs + graceMs);
  });

  it('is annotated for Prometheus scraping of /metrics on the container port', () => {
    const a = deployment().spec.template.metadata.annotations;
    expect(a).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8002',
      'prometheus.io/path': '/metrics',
    });
  });
});

describe('Kubernetes manifests: Service, HPA, PDB, NetworkPolicy', () => {
  it('Service: ClusterIP on 8002, selecting the Deployment pods, targeting the container port', () => {
    const s = one('Service', 'dte-ai-service');
    expect(s.spec.type).toBe('ClusterIP');
    expect(matches(s.spec.selector, deployment().spec.template.metadata.labels)).toBe(true);
    expect(s.spec.ports).toHaveLength(1);
    expect(s.spec.ports[0].port).toBe(8002);
    expect(namedPort(container(), s.spec.ports[0].targetPort)).toBe(8002);
  });

  it('HPA (autoscaling/v2) scales the Deployment on CPU, never below its replica count', () => {
    const h = one('HorizontalPodAutoscaler');
    expect(h.apiVersion).toBe('autoscaling/v2');
    expect(h.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment().metadata.name,
    });
    expect(h.spec.minReplicas).toBe(deployment().spec.replicas);
    expect(h.spec.maxReplicas).toBeGreaterThan(h.spec.minReplicas);
    expect(h.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
  });

  it('PDB selects the Deployment pods and keeps most of them', () => {
    const p = one('PodDisruptionBudget');
    expect(matches(p.spec.selector.matchLabels, deployment().spec.template.metadata.labels)).toBe(true);
    expect(p.spec.maxUnavailable).toBe(1);
  });

  it('NetworkPolicy: only Odoo and Prometheus reach port 8002; only the AI pods reach Redis', () => {
    const ai = one('NetworkPolicy', 'dte-ai-service');
    expect(matches(ai.spec.podSelector.matchLabels, deployment().spec.template.metadata.labels)).toBe(true);
    expect(ai.spec.policyTypes).toEqual(['Ingress']);
    expect(ai.spec.ingress).toHaveLength(1);
    expect(ai.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8002 }]);
    const peers = ai.spec.ingress[0].from.map((p: any) => p.podSelector?.matchLabels?.['app.kubernetes.io/name']);
    expect([...new Set(peers)].sort()).toEqual(['odoo', 'prometheus']);
    expect(ai.spec.ingress[0].from.every((p: any) => p.podSelector)).toBe(true); // no namespace-wide peer

    const redis = one('NetworkPolicy', 'dte-ai-redis');
    const redisPod = one('StatefulSet').spec.template.metadata.labels;
    expect(matches(redis.spec.podSelector.matchLabels, redisPod)).toBe(true);
    expect(redis.spec.ingress).toEqual([
      {
        from: [{ podSelector: { matchLabels: deployment().spec.selector.matchLabels } }],
        ports: [{ protocol: 'TCP', port: 6379 }],
      },
    ]);
  });
});

describe('Kubernetes manifests: Redis', () => {
  const sts = () => one('StatefulSet');
  const redis = () => sts().spec.template.spec.containers[0];

  it('persists to a PVC with RDB snapshots (--save 60 1) and AOF (--appendonly yes)', () => {
    const script = [...(redis().command ?? []), ...(redis().args ?? [])].join(' ');
    expect(script).toMatch(/redis-server .*--save 60 1/);
    expect(script).toMatch(/--appendonly yes/);
    expect(script).toMatch(/--dir \/data/);
    const mount = redis().volumeMounts.find((m: any) => m.mountPath === '/data');
    const claim = sts().spec.volumeClaimTemplates.find((c: any) => c.metadata.name === mount.name);
    expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(claim.spec.resources.requests.storage).toBeDefined();
    expect(sts().spec.replicas).toBe(1);
  });

  it('is reachable at the ConfigMap REDIS_HOST:REDIS_PORT and governed by a headless Service', () => {
    const labels = sts().spec.template.metadata.labels;
    const svc = one('Service', configMap().data.REDIS_HOST);
    expect(matches(svc.spec.selector, labels)).toBe(true);
    expect(svc.spec.ports[0].port).toBe(Number(configMap().data.REDIS_PORT));
    expect(namedPort(redis(), svc.spec.ports[0].targetPort)).toBe(6379);
    const headless = one('Service', sts().spec.serviceName);
    expect(headless.spec.clusterIP).toBe('None');
    expect(matches(headless.spec.selector, labels)).toBe(true);
  });

  it('uses the Secret REDIS_PASSWORD (optional) for requirepass and its probes, runs non-root', () => {
    expect(redis().env).toEqual([
      {
        name: 'REDIS_PASSWORD',
        valueFrom: { secretKeyRef: { name: secret().metadata.name, key: 'REDIS_PASSWORD', optional: true } },
      },
    ]);
    expect(redis().args.join(' ')).toMatch(/requirepass/);
    for (const probe of [redis().readinessProbe, redis().livenessProbe]) {
      expect(probe.exec.command.join(' ')).toMatch(/REDISCLI_AUTH=.*redis-cli ping/);
    }
    expect(sts().spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 999 });
    expect(redis().securityContext.readOnlyRootFilesystem).toBe(true);
    expect(redis().resources.limits.memory).toBeDefined();
  });
});

describe('Kubernetes manifests: kustomization and conventions', () => {
  const k = load(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')) as any;

  it('lists every manifest except the Secret template, and each exists', () => {
    expect(k.kind).toBe('Kustomization');
    expect(k.namespace).toBe(one('Namespace').metadata.name);
    expect([...k.resources].sort()).toEqual(FILES.filter((f) => f !== 'secret.yaml').sort());
    for (const r of k.resources) expect(existsSync(join(DIR, r))).toBe(true);
  });

  it('its image override names the Deployment image', () => {
    const [name] = container().image.split(':');
    expect(k.images.map((i: any) => i.name)).toEqual([name]);
  });

  it('every object is labelled part-of odoo-dte and namespaced by kustomize (no hard-coded namespace)', () => {
    for (const { doc } of ALL) {
      expect(doc.metadata.labels?.['app.kubernetes.io/part-of']).toBe('odoo-dte');
      expect(doc.metadata.namespace).toBeUndefined();
    }
  });
});
