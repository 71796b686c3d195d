import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { answers, ManagedProcess } from './processes';

export const ROOT = join(__dirname, '..', '..');

const readlinkOrNull = (path: string) => {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
};

/**
 * The service compiled from src/ with tsconfig.build.json (what `nest build` runs), into a private
 * folder: other engineers' `npm test` rebuilds dist/ with deleteOutDir while a bench may be running.
 * The folder mirrors the project root (package.json, node_modules, knowledge-base are symlinks) so
 * the compiled code's relative paths (../package.json) resolve as in dist/. `BENCH_DIST=dist/bundle` (or `dist`) runs that folder's main.js as is.
 */
export function buildService(log: (line: string) => void): string {
  if (process.env.BENCH_DIST) {
    const main = join(ROOT, process.env.BENCH_DIST, 'main.js');
    if (!existsSync(main)) throw new Error(`${main} missing: run npm run build first`);
    return main;
  }
  // One scratch folder per checkout: two clones benchmarked by one user must not share links.
  const checkout = createHash('sha256').update(ROOT).digest('hex').slice(0, 8);
  const home = join(tmpdir(), `dte-ai-bench-${userInfo().uid}-${checkout}`);
  mkdirSync(home, { recursive: true });
  for (const name of ['package.json', 'node_modules', 'knowledge-base']) {
    const link = join(home, name);
    // A link left pointing elsewhere (a checkout since moved or deleted) is replaced.
    if (readlinkOrNull(link) !== join(ROOT, name)) {
      rmSync(link, { force: true, recursive: true });
      symlinkSync(join(ROOT, name), link);
    }
  }
  const outDir = join(home, 'dist');
  const started = performance.now();
  try {
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        join(ROOT, 'tsconfig.build.json'),
        '--outDir',
        outDir,
        '--tsBuildInfoFile',
        join(home, 'build.tsbuildinfo'),
      ],
      { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' },
    );
  } catch (e: any) {
    // tsc still emits on type errors (someone's work in progress); go on if main.js exists.
    const first = String(e.stdout ?? e.message)
      .split('\n')
      .slice(0, 5)
      .join('\n');
    if (!existsSync(join(outDir, 'main.js'))) throw new Error(`build failed:\n${first}`);
    log(`WARNING: tsc reported errors (emitted anyway):\n${first}`);
  }
  // What the image runs: the same bundle npm run build makes (scripts/bundle.mjs).
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), outDir], { cwd: ROOT, stdio: 'pipe' });
  log(`service compiled and bundled into ${outDir} in ${Math.round(performance.now() - started)} ms`);
  return join(outDir, 'bundle', 'main.js');
}

/**
 * The Node binary the service and the gateway run on: BENCH_NODE (e.g. Node 22, what the image
 * runs), else the bench's own. The build and the load generator stay on the bench's Node.
 */
export const runtimeNode = () => process.env.BENCH_NODE || process.execPath;

export interface ServiceOptions {
  main: string;
  logDir: string;
  port: number;
  redisUrl: string;
  fakeAnthropicUrl: string;
  apiKeys: string[];
  logLevel: string;
  nodeArgs?: string[];
  name?: string;
}

/** `node dist/main.js` with a production-like environment: Redis, Anthropic (the fake), no OpenAI. */
export async function startService(o: ServiceOptions): Promise<{ proc: ManagedProcess; url: string; readyMs: number }> {
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORT: String(o.port),
    LOG_LEVEL: o.logLevel,
    AI_SERVICE_API_KEY: o.apiKeys.join(','),
    REDIS_URL: o.redisUrl,
    ANTHROPIC_API_KEY: 'sk-ant-bench-not-a-real-key',
    ANTHROPIC_BASE_URL: o.fakeAnthropicUrl,
    // The highest accepted limit; each scenario also uses its own keys, so no 429 skews a run.
    RATE_LIMIT_PER_MINUTE: '100000',
    // Validation has its own budget (past it the LLM review is skipped): as high, so every miss is reviewed.
    VALIDATION_RATE_LIMIT_PER_MINUTE: '100000',
    KNOWLEDGE_BASE_DIR: join(ROOT, 'knowledge-base'),
    // BENCH_COMPILE_CACHE: a folder for Node 22's compile cache, as the image bakes one (Dockerfile).
    ...(process.env.BENCH_COMPILE_CACHE ? { NODE_COMPILE_CACHE: process.env.BENCH_COMPILE_CACHE } : {}),
  };
  const proc = new ManagedProcess(o.name ?? `service-${o.logLevel}`, runtimeNode(), [...(o.nodeArgs ?? []), o.main], {
    // A scratch folder, so a developer's .env in the project root is not loaded.
    cwd: o.logDir,
    env,
    logDir: o.logDir,
  });
  const url = `http://127.0.0.1:${o.port}`;
  const readyMs = await proc.waitReady(() => answers(`${url}/health/ready`, 200));
  return { proc, url, readyMs };
}
