import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { load } from 'js-yaml';
import { buildAppConfig } from '../../src/config/app-config';
import { CONTRACT_ENV, schemaEnvNames, SECRET_KEYS } from './env-names';
import { dockerIgnored, dockerignorePatterns, REPO_ROOT } from './k8s-schema';

/** Dockerfile, .dockerignore, docker-compose.yml and .env.example, read as files (no Docker needed). */
const read = (f: string) => readFileSync(join(REPO_ROOT, f), 'utf8');

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  body: Instruction[];
}

/** Dockerfile → stages of instructions (continuations joined, comments dropped, ARG defaults resolved in FROM). */
function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, op, rest] = /^(\S+)\s*(.*)$/.exec(line)!;
    const upper = op.toUpperCase();
    if (upper === 'ARG' && !stages.length) {
      const [k, v] = rest.split('=');
      args[k] = v;
    } else if (upper === 'FROM') {
      const [image, , name] = rest.replace(/\$\{?(\w+)\}?/g, (_m, k) => args[k] ?? '').split(/\s+/);
      stages.push({ from: image, name, body: [] });
    } else {
      stages[stages.length - 1].body.push({ op: upper, args: rest });
    }
  }
  return stages;
}

describe('Dockerfile', () => {
  const stages = parseDockerfile(read('Dockerfile'));
  const runtime = stages[stages.length - 1];
  const ops = (s: Stage, op: string) => s.body.filter((i) => i.op === op).map((i) => i.args);

  it('is multi-stage, every stage rooted in node:22-bookworm-slim, the runtime directly on it', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const root = (s: Stage): string => {
      const parent = stages.find((p) => p.name === s.from);
      return parent ? root(parent) : s.from;
    };
    for (const s of stages) expect(root(s)).toBe('node:22-bookworm-slim');
    expect(runtime.from).toBe('node:22-bookworm-slim');
  });

  it('builds with npm ci + npm run build, and installs production dependencies with npm ci --omit=dev', () => {
    const allRuns = stages.flatMap((s) => ops(s, 'RUN')).join('\n');
    expect(allRuns).toMatch(/npm ci(?! --omit)/);
    expect(allRuns).toMatch(/npm run build/);
    expect(allRuns).toMatch(/npm ci --omit=dev/);
    expect(ops(runtime, 'RUN')).toEqual([]); // nothing is built or installed in the final stage itself
  });

  it('runtime: copies dist, production node_modules, knowledge-base and package.json; never .env or the whole context', () => {
    const copies = ops(runtime, 'COPY');
    const joined = copies.join('\n');
    expect(joined).toMatch(/--from=\w+ \/app\/dist/);
    expect(joined).toMatch(/--from=deps \/app\/node_modules/);
    expect(joined).toMatch(/knowledge-base/);
    expect(joined).toMatch(/package\.json/);
    for (const s of stages) {
      for (const c of [...ops(s, 'COPY'), ...ops(s, 'ADD')]) {
        expect(c).not.toMatch(/\.env/);
        expect(c).not.toMatch(/^(--\S+\s+)*\.\s/); // no `COPY . .`
      }
    }
  });

  it('runs as the non-root node user with production env on port 8002', () => {
    expect(ops(runtime, 'USER')).toEqual(['node']);
    const env = ops(runtime, 'ENV').join(' ');
    expect(env).toMatch(/NODE_ENV=production/);
    expect(env).toMatch(/PORT=8002/);
    expect(ops(runtime, 'EXPOSE')).toEqual(['8002']);
    // The bundle the build stage makes (scripts/bundle.mjs), started from Node's baked compile cache.
    expect(ops(runtime, 'CMD')).toEqual(['["node", "dist/bundle/main.js"]']);
    expect(env).toMatch(/NODE_COMPILE_CACHE=\/app\//);
    // USER comes after every COPY: the service user cannot rewrite the installed code.
    const idx = (op: string) => runtime.body.map((i) => i.op).lastIndexOf(op);
    expect(idx('USER')).toBeGreaterThan(idx('COPY'));
  });

  it('has a HEALTHCHECK on /health/live that needs no curl', () => {
    const [hc] = ops(runtime, 'HEALTHCHECK');
    expect(hc).toMatch(/CMD \["node", "-e", .*\/health\/live/);
    expect(hc).not.toMatch(/curl|wget/);
    expect(hc).toMatch(/--interval=\d+s/);
  });
});

describe('.dockerignore', () => {
  const patterns = dockerignorePatterns(read('.dockerignore'));

  it.each([
    '.env',
    '.env.local',
    'config/.env',
    'node_modules/x/index.js',
    'dist/main.js',
    'test/a.e2e-spec.ts',
    '.git/HEAD',
    'coverage/x',
    'README.md',
  ])('keeps %s out of the build context', (path) => expect(dockerIgnored(patterns, path)).toBe(true));

  it('keeps everything the Dockerfile copies, including the knowledge base Markdown', () => {
    const needed = [
      'package.json',
      'package-lock.json',
      'nest-cli.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'scripts/bundle.mjs',
      'src/main.ts',
      'src/chat/chat.module.ts',
      'knowledge-base/dte-33.md',
      'knowledge-base/sub/guia.md',
    ];
    expect(needed.filter((p) => dockerIgnored(patterns, p))).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  const compose = load(read('docker-compose.yml')) as any;
  const ai = compose.services['ai-service'];
  const redis = compose.services.redis;

  it('uses the Compose Specification format (no obsolete version key) with exactly two services', () => {
    expect(compose.version).toBeUndefined();
    expect(Object.keys(compose.services).sort()).toEqual(['ai-service', 'redis']);
  });

  it('ai-service: built here, env from .env, Redis service DB 1, no published port', () => {
    expect(ai.build).toBe('.');
    expect([].concat(ai.env_file)).toEqual(['.env']);
    expect(ai.environment).toMatchObject({ REDIS_HOST: 'redis', REDIS_DB: '1' });
    expect(ai.ports).toBeUndefined();
    expect(ai.expose).toEqual(['8002']);
    expect(read('docker-compose.yml')).toMatch(/# ports:\n\s+#\s+- "127\.0\.0\.1:8002:8002"/);
  });

  it('ai-service: waits for a healthy Redis, restarts, and is health-checked on /health/live', () => {
    expect(ai.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    expect(ai.restart).toBe('unless-stopped');
    expect(ai.healthcheck.test.join(' ')).toMatch(/\/health\/live/);
    // Longer than the app's own grace period so in-flight requests finish before SIGKILL.
    expect(parseInt(ai.stop_grace_period, 10) * 1000).toBeGreaterThan(10000);
  });

  it('ai-service: resource limits of the seeds (1 CPU / 1G, reservation 0.5 / 512M), in one form only', () => {
    expect(ai.deploy.resources).toEqual({
      limits: { cpus: '1.0', memory: '1G' },
      reservations: { cpus: '0.5', memory: '512M' },
    });
    // Compose v2 rejects cpus/mem_limit next to deploy.resources when they differ: keep a single source.
    for (const k of ['cpus', 'mem_limit', 'mem_reservation']) expect(ai[k]).toBeUndefined();
  });

  it('ai-service: read-only root filesystem with a tmpfs /tmp, no new privileges', () => {
    expect(ai.read_only).toBe(true);
    expect(ai.tmpfs).toEqual(['/tmp']);
    expect(ai.security_opt).toContain('no-new-privileges:true');
  });

  it('redis: redis:7 with RDB persistence (--save 60 1) into a named volume, health-checked with redis-cli ping', () => {
    expect(redis.image).toBe('redis:7');
    expect(redis.command).toMatch(/^redis-server .*--save 60 1/);
    expect(redis.ports).toBeUndefined();
    expect(redis.volumes).toEqual(['redis_data:/data']);
    expect(Object.keys(compose.volumes)).toEqual(['redis_data']);
    expect(redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it('both services share one private network that still allows outbound HTTPS to the LLM APIs', () => {
    const nets = Object.keys(compose.networks);
    expect(nets).toHaveLength(1);
    expect(ai.networks).toEqual(nets);
    expect(redis.networks).toEqual(nets);
    expect(compose.networks[nets[0]].internal).toBeUndefined();
  });
});

describe('.env.example', () => {
  const text = read('.env.example');
  const env = parseEnv(text) as Record<string, string>;
  const assigned = text
    .split('\n')
    .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
    .map((l) => l.split('=')[0]);

  it('documents every variable the service reads (the contract names and the extras), each once', () => {
    expect(new Set(assigned).size).toBe(assigned.length);
    expect(schemaEnvNames().filter((k) => !assigned.includes(k))).toEqual([]);
    expect(assigned.filter((k) => !schemaEnvNames().includes(k))).toEqual([]);
    expect(CONTRACT_ENV.filter((k) => !assigned.includes(k))).toEqual([]);
  });

  it('leaves every secret empty and has a comment line before each variable', () => {
    for (const k of SECRET_KEYS) expect(env[k]).toBe('');
    const lines = text.split('\n');
    lines.forEach((l, i) => {
      if (/^[A-Z][A-Z0-9_]*=/.test(l)) expect(lines[i - 1]).toMatch(/^#|^[A-Z][A-Z0-9_]*=/);
    });
  });

  it('carries the contract defaults', () => {
    expect(env).toMatchObject({
      PORT: '8002',
      CHAT_SESSION_TTL: '3600',
      CHAT_MAX_CONTEXT_MESSAGES: '10',
      CHAT_DEFAULT_TEMPERATURE: '0.7',
      REDIS_PORT: '6379',
      REDIS_DB: '1',
      ANTHROPIC_MODEL: 'claude-sonnet-4-6',
      OPENAI_MODEL: 'gpt-4.1-mini',
      LLM_TIMEOUT_MS: '30000',
      ENABLE_PROMPT_CACHING: 'true',
      MAX_ESTIMATED_COST_PER_REQUEST: '1.0',
      RATE_LIMIT_PER_MINUTE: '120',
      KNOWLEDGE_BASE_DIR: 'knowledge-base',
      LOG_LEVEL: 'info',
    });
  });

  it('copied to .env as is, the service refuses to start until AI_SERVICE_API_KEY is filled; filled, it starts', () => {
    expect(() => buildAppConfig(env)).toThrow(/AI_SERVICE_API_KEY is required/);
    const cfg = buildAppConfig({ ...env, AI_SERVICE_API_KEY: 'a'.repeat(64) });
    expect(cfg.isProduction).toBe(true);
    expect(cfg.redis).toBeNull(); // empty REDIS_* → memory store (compose sets REDIS_HOST itself)
    expect(cfg.anthropic.apiKey).toBeUndefined();
    // As compose runs it: its environment block wins over .env.
    const composed = buildAppConfig({ ...env, AI_SERVICE_API_KEY: 'a'.repeat(64), REDIS_HOST: 'redis', REDIS_DB: '1' });
    expect(composed.redis).toEqual({ url: 'redis://redis:6379/1', db: 1 });
  });
});
