import { join } from 'node:path';
import { freePort } from '../../test/helpers/ports';
import { FakeLlmProcess } from './fake-llm';
import { LoadSettings, measure } from './load';
import { USER_CONTEXT } from './payloads';
import { portkeyPackage, startPortkey } from './portkey';
import { answers, ManagedProcess, sleep } from './processes';
import { ScenarioResult } from './report';
import { bareScenario, benchKeys, portkeyScenario, probe, Scenario, serviceScenarios } from './scenarios';
import { startService } from './service';
import { round } from './stats';

export interface Env {
  main: string;
  logDir: string;
  redisUrl: string;
  /** Redis `INFO commandstats` as {command: calls}, to count commands per request. */
  redisCalls: () => Record<string, number>;
  fake: FakeLlmProcess;
  /** Cumulative CPU seconds of the other processes on the machine (fake LLM, Redis, load generator). */
  rigCpu?: () => Record<string, number>;
  settings: LoadSettings;
  log: (line: string) => void;
}

export interface ServerRun {
  node_args?: string[];
  startup_to_ready_ms: number;
  idle_rss_mib: number;
  rss_after_all_mib?: number;
  /** Highest RSS from spawn to exit, sampled every 250 ms. */
  rss_peak_mib?: number;
  exit_code?: number | null;
  scenarios: Record<string, ScenarioResult>;
}

/** Chat sessions the turns are spread over (so history windows fill and turns rarely share one). */
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 200);

/** Probe, then warm-up + measured load, counting the calls that reached the fake LLM. */
async function runScenario(env: Env, sc: Scenario, url: string, proc: ManagedProcess): Promise<ScenarioResult> {
  const p = await probe(url, sc.target);
  const problem = sc.check(p.status, p.json);
  if (problem) throw new Error(`${sc.name}: the probe request failed (${problem}); refusing to measure errors`);
  env.log(
    `  ${sc.name}: ${env.settings.warmupSeconds}s warm-up + ${env.settings.durationSeconds}s at ${env.settings.connections} connections`,
  );
  let start = 0;
  let redisBefore: Record<string, number> = {};
  const r = await measure(
    url,
    sc.target,
    env.settings,
    proc,
    async () => {
      if (sc.upstream) start = (await env.fake.stats()).counts[sc.upstream];
      redisBefore = env.redisCalls();
    },
    env.rigCpu,
  );
  const calls = sc.upstream ? (await env.fake.stats()).counts[sc.upstream] - start : 0;
  const redisAfter = env.redisCalls();
  const redis_commands_per_request = Object.fromEntries(
    Object.entries(redisAfter)
      .map(([cmd, n]) => [cmd, round((n - (redisBefore[cmd] ?? 0)) / (r.sent || 1), 2)] as const)
      .filter(([cmd, v]) => v > 0 && cmd !== 'info'),
  );
  env.log(
    `    ${r.requests_per_s} req/s, p99 ${r.latency.p99_ms} ms, server CPU ${r.server_cpu_ms_per_request} ms/request (rig ${JSON.stringify(r.rig_cpu_ms_per_request ?? {})}), non-2xx ${r.non_2xx}, errors ${r.errors + r.timeouts}`,
  );
  const window_since_spawn_ms = { start: r.window_ms.start - proc.spawnedAt, end: r.window_ms.end - proc.spawnedAt };
  return {
    scenario: sc.name,
    description: sc.description,
    ...r,
    window_since_spawn_ms,
    upstream_calls_per_2xx: sc.upstream ? round(calls / (r.sent || 1), 3) : null,
    redis_commands_per_request,
    sample: brief(p.json),
  };
}

/** The probe's answer without the long fields, kept in the JSON as evidence of what was measured. */
function brief(j: any): unknown {
  if (!j || typeof j !== 'object') return j;
  const { message, results, checks, findings: _findings, choices, ...rest } = j;
  return {
    ...rest,
    ...(typeof message === 'string' ? { message_chars: message.length } : {}),
    ...(Array.isArray(results) ? { results: results.length } : {}),
    ...(Array.isArray(checks) ? { checks: checks.length } : {}),
    ...(Array.isArray(choices) ? { content_chars: String(choices[0]?.message?.content ?? '').length } : {}),
  };
}

async function newSessions(url: string, key: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const res = await fetch(`${url}/api/chat/session/new`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ user_context: USER_CONTEXT }),
    });
    const j = (await res.json()) as { session_id?: string };
    if (res.status !== 200 || !j.session_id) throw new Error(`session/new answered ${res.status}`);
    ids.push(j.session_id);
  }
  return ids;
}

/**
 * One service process at one LOG_LEVEL: start-up to ready, idle RSS, then the chosen scenarios.
 * Returns the last chat requests the fake received (Portkey gets equivalent ones).
 */
export async function runService(env: Env, logLevel: string, only: string[], extraNodeArgs: string[] = []) {
  // BENCH_NODE_ARGS: V8/Node flags for experiments (e.g. --max-semi-space-size=32), recorded in the results.
  const nodeArgs = [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...extraNodeArgs];
  const names = ['health_live', 'knowledge_search', 'validate_cached', 'validate_uncached', 'chat_turn'];
  const keys = benchKeys(names);
  const { proc, url, readyMs } = await startService({
    main: env.main,
    logDir: env.logDir,
    port: await freePort(),
    redisUrl: env.redisUrl,
    fakeAnthropicUrl: env.fake.url,
    apiKeys: Object.values(keys).flat(),
    logLevel,
    nodeArgs,
    name: `service-${logLevel}`,
  });
  env.log(`service (LOG_LEVEL=${logLevel}) ready in ${readyMs} ms (spawn → /health/ready 200), pid ${proc.pid}`);
  const run: ServerRun = { node_args: nodeArgs, startup_to_ready_ms: readyMs, idle_rss_mib: NaN, scenarios: {} };
  try {
    await sleep(2000);
    run.idle_rss_mib = proc.rss();
    const sessions = await newSessions(url, keys.chat_turn[0]);
    for (const sc of serviceScenarios(keys, sessions).filter((s) => only.includes(s.name))) {
      run.scenarios[sc.name] = await runScenario(env, sc, url, proc);
    }
    run.rss_after_all_mib = proc.rss();
  } finally {
    run.exit_code = await proc.stop();
    run.rss_peak_mib = proc.peakRssMiB;
  }
  return { run, chatBodies: (await env.fake.stats()).chatBodies };
}

/** Portkey's gateway proxying the same fake, driven exactly like our chat turns. */
export async function runPortkey(env: Env, capturedChatBodies: unknown[]) {
  const pkg = portkeyPackage();
  if (!pkg) {
    env.log('Portkey not installed (npm install -D @portkey-ai/gateway): comparison skipped');
    return null;
  }
  const { proc, url, readyMs } = await startPortkey(pkg.dir, await freePort(), env.logDir);
  env.log(`Portkey ${pkg.version} ready in ${readyMs} ms, pid ${proc.pid}`);
  const run: ServerRun & { version: string } = {
    version: pkg.version,
    startup_to_ready_ms: readyMs,
    idle_rss_mib: NaN,
    scenarios: {},
  };
  try {
    await sleep(2000);
    run.idle_rss_mib = proc.rss();
    const sc = portkeyScenario(env.fake.url, capturedChatBodies);
    run.scenarios[sc.name] = await runScenario(env, sc, url, proc);
    run.rss_after_all_mib = proc.rss();
  } finally {
    run.exit_code = await proc.stop();
    run.rss_peak_mib = proc.peakRssMiB;
  }
  return run;
}

/** Calibration: a bare Fastify JSON POST on this machine now (the guide quotes ~28k req/s quiet). */
export async function runBareFastify(env: Env) {
  const port = await freePort();
  const proc = new ManagedProcess(
    'bare-fastify',
    process.execPath,
    [join(__dirname, 'bare-fastify.child.js'), String(port)],
    {
      cwd: join(__dirname, '..', '..'),
      env: { PATH: process.env.PATH, NODE_ENV: 'production' },
      logDir: env.logDir,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const readyMs = await proc.waitReady(() => answers(`${url}/`, 200));
  const run: ServerRun = { startup_to_ready_ms: readyMs, idle_rss_mib: proc.rss(), scenarios: {} };
  try {
    const sc = bareScenario();
    run.scenarios[sc.name] = await runScenario(env, sc, url, proc);
  } finally {
    run.exit_code = await proc.stop();
    run.rss_peak_mib = proc.peakRssMiB;
  }
  return run;
}
