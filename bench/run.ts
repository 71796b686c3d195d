/**
 * `npm run bench`: the service under load on loopback, against a zero-latency fake Anthropic and a
 * throwaway Redis, compared with Portkey's AI gateway proxying the same fake. Writes
 * bench/results/latest.json and prints a summary; the method is in docs/performance.md.
 *
 *   npm run bench                                  # everything (~3 minutes)
 *   BENCH_DURATION=20 BENCH_CONNECTIONS=50 npm run bench
 *   BENCH_ONLY=chat_turn BENCH_LOG_LEVELS=info npm run bench
 *   BENCH_ONLY=slow_model,startup npm run bench    # a 1 s model at 400 connections; 5 start-ups
 *   npm run bench -- --profile                     # chat turns under node --cpu-prof, top frames
 *
 * Series knobs: BENCH_SLOW_MODEL_MS (1000), BENCH_SLOW_CONNECTIONS (400), BENCH_STARTUP_SPAWNS (5).
 * Runtime knobs: BENCH_NODE (the Node binary of the service and the gateway), BENCH_COMPILE_CACHE
 * (NODE_COMPILE_CACHE for the service, Node 22), BENCH_DIST (an existing build, e.g. dist).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestRedis } from '../test/helpers/redis-server';
import { runKnowledgeBench } from './knowledge.bench';
import { summarizeProfile } from './lib/cpu-profile';
import { FakeLlmProcess } from './lib/fake-llm';
import { codeVersion, cpuSeconds, loadAverage, machineInfo } from './lib/machine';
import { onEmergencyStop, stopAllChildren } from './lib/processes';
import { markdownTable, table, writeJson } from './lib/report';
import { peakServiceRss, runSlowModel, runStartupSeries } from './lib/series';
import { buildService, ROOT, runtimeNode } from './lib/service';
import { ratio } from './lib/stats';
import { Env, runBareFastify, runPortkey, runService, ServerRun } from './lib/suite';

const RESULTS = join(__dirname, 'results');
const SCENARIOS = ['health_live', 'knowledge_search', 'validate_cached', 'validate_uncached', 'chat_turn'];
/** Series beside the load scenarios: a 1 s model at 400 connections, and repeated start-ups. */
const SERIES = ['slow_model', 'startup'];
const ALL = [...SCENARIOS, ...SERIES];
const num = (name: string, dflt: number) => (process.env[name] ? Number(process.env[name]) : dflt);
const log = (line: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function knowledgeBench() {
  const r = await runKnowledgeBench({ iterations: num('KB_BENCH_ITERATIONS', 50) });
  log(
    `knowledge: Recall@1 ${r.recall_at_1}, Recall@3 ${r.recall_at_3}, MRR ${r.mrr}; colloquial Recall@1 ${r.colloquial.recall_at_1}; in-process search p99 ${r.latency.p99_ms} ms over ${r.latency.samples} searches`,
  );
  log(
    `knowledge: chat turn's step ${r.chat_turn.cpu_ms_per_turn_cached} ms CPU (p50 ${r.chat_turn.latency_cached.p50_ms}, p99 ${r.chat_turn.latency_cached.p99_ms} ms); index build ${r.index_ms} ms (${r.index_cpu_ms} ms CPU)`,
  );
  return r;
}

async function profile(env: Env) {
  const dir = join(env.logDir, 'cpu-prof');
  const { run } = await runService(
    env,
    process.env.BENCH_PROFILE_LOG_LEVEL ?? 'info',
    [process.env.BENCH_ONLY ?? 'chat_turn'],
    ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  );
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written (the service did not exit cleanly)');
  const measured = Object.values(run.scenarios)[0];
  const summary = summarizeProfile(join(dir, file), measured?.window_since_spawn_ms);
  log(`profile of the measured run (${summary.total_ms} ms, ${summary.busy_ms} ms on CPU): ${join(dir, file)}`);
  for (const a of summary.by_area.slice(0, 20)) log(`  ${String(a.pct_of_busy).padStart(5)}%  ${a.area}`);
  for (const f of summary.top_functions) log(`  ${String(f.pct_of_busy).padStart(5)}%  ${f.fn}  ${f.where}`);
  writeJson(join(RESULTS, 'profile.json'), {
    generated_at: new Date().toISOString(),
    run,
    profile_file: join(dir, file),
    ...summary,
  });
}

async function main() {
  const settings = {
    connections: num('BENCH_CONNECTIONS', 50),
    durationSeconds: num('BENCH_DURATION', 10),
    warmupSeconds: num('BENCH_WARMUP', 3),
    // BENCH_RATE: a fixed offered load (req/s), to compare latencies of two servers at the same load.
    ...(process.env.BENCH_RATE ? { rate: num('BENCH_RATE', 0) } : {}),
    // What served: the build's main.js, the Node binary (BENCH_NODE) and its compile cache, if any.
    served: {
      dist: process.env.BENCH_DIST ?? 'private bundle of this checkout',
      node: runtimeNode(),
      compile_cache: process.env.BENCH_COMPILE_CACHE ?? null,
    },
  };
  const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : ALL;
  const levels = (process.env.BENCH_LOG_LEVELS ?? 'info,warn').split(',');
  const started = new Date();
  const loadStart = loadAverage();
  log(`machine: ${JSON.stringify(machineInfo())}, load average ${loadStart.join(' ')}`);

  const knowledge = process.argv.includes('--profile') ? null : await knowledgeBench();
  const main = buildService(log);
  const logDir = mkdtempSync(join(tmpdir(), 'dte-ai-bench-run-'));
  const keepLogs = !!process.env.BENCH_KEEP_LOGS || process.argv.includes('--profile');
  if (!keepLogs) onEmergencyStop(() => rmSync(logDir, { recursive: true, force: true }));
  const redis = await TestRedis.start();
  onEmergencyStop(() => void redis.stop());
  // BENCH_PROFILE_MODEL_MS: profile the slow-model case (with BENCH_CONNECTIONS=400) instead of a zero-latency fake.
  const fake = await FakeLlmProcess.start(process.argv.includes('--profile') ? num('BENCH_PROFILE_MODEL_MS', 0) : 0);
  onEmergencyStop(() => fake.stop());
  const redisCalls = () =>
    Object.fromEntries(
      [...redis.cli('INFO', 'commandstats').matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [
        m[1],
        Number(m[2]),
      ]),
    );
  const redisPid = Number(/process_id:(\d+)/.exec(redis.cli('INFO', 'server'))?.[1]);
  const rigCpu = () => {
    const mine = process.cpuUsage();
    return {
      fake_llm: cpuSeconds(fake.pid),
      redis: cpuSeconds(redisPid),
      load_generator: (mine.user + mine.system) / 1e6,
    };
  };
  const env: Env = { main, logDir, redisUrl: redis.url(), redisCalls, fake, settings, log, rigCpu };
  try {
    if (process.argv.includes('--profile')) return await profile(env);
    const service: Record<string, ServerRun> = {};
    let portkey: Awaited<ReturnType<typeof runPortkey>> = null;
    const loadScenarios = only.filter((n) => SCENARIOS.includes(n));
    for (const [i, level] of (loadScenarios.length ? levels : []).entries()) {
      redis.cli('FLUSHALL');
      // The first level runs everything; the others only what logging could change.
      const { run, chatBodies } = await runService(
        env,
        level,
        i === 0 ? only : only.filter((n) => ['health_live', 'chat_turn'].includes(n)),
      );
      service[`log_${level}`] = run;
      // Portkey right after our chat turns, so both see the same background load as far as possible.
      if (i === 0 && only.includes('chat_turn') && !process.env.BENCH_SKIP_PORTKEY)
        portkey = await runPortkey(env, chatBodies);
    }
    const slow = only.includes('slow_model')
      ? await runSlowModel(env, num('BENCH_SLOW_MODEL_MS', 1000), num('BENCH_SLOW_CONNECTIONS', 400))
      : null;
    const startup = only.includes('startup') ? await runStartupSeries(env, num('BENCH_STARTUP_SPAWNS', 5)) : null;
    const bare = process.env.BENCH_SKIP_BARE ? null : await runBareFastify(env);
    const pk = portkey?.scenarios.portkey_chat_completion;
    const ratios = Object.fromEntries(
      Object.entries(service).map(([level, run]) => {
        const chat = run.scenarios.chat_turn;
        return [
          level,
          {
            chat_rps_over_portkey_rps: ratio(chat?.ok_per_s, pk?.ok_per_s),
            chat_p99_over_portkey_p99: ratio(chat?.latency.p99_ms, pk?.latency.p99_ms),
            portkey_cpu_per_request_over_chat_cpu_per_request: ratio(
              pk?.server_cpu_ms_per_request,
              chat?.server_cpu_ms_per_request,
            ),
          },
        ];
      }),
    );
    const info = service.log_info;
    // The figures issue 17 sets targets for, in one place (all from this run).
    const targets = {
      chat_rps_over_portkey_rps: ratios.log_info?.chat_rps_over_portkey_rps ?? null,
      chat_p99_over_portkey_p99: ratios.log_info?.chat_p99_over_portkey_p99 ?? null,
      slow_model_added_latency_over_portkey: slow?.added_latency_ratio ?? null,
      idle_rss_mib: info?.idle_rss_mib ?? null,
      peak_rss_mib_any_service_process: peakServiceRss([...Object.values(service), slow?.service]),
      startup_median_ms: startup?.service.median_ms ?? null,
    };
    const result = {
      generated_at: started.toISOString(),
      finished_at: new Date().toISOString(),
      command: 'npm run bench',
      settings,
      machine: machineInfo(),
      load_average: {
        at_start: loadStart,
        at_end: loadAverage(),
        note: 'per-scenario 1-minute load average is in each scenario (loadavg_before)',
      },
      code: codeVersion(ROOT),
      service,
      portkey,
      bare_fastify: bare,
      ratios,
      targets,
      slow_model: slow,
      startup,
      knowledge,
    };
    writeJson(join(RESULTS, 'latest.json'), result);
    const rows = [
      ...Object.entries(service).flatMap(([level, run]) =>
        Object.values(run.scenarios).map((r) => ({ label: `${r.scenario} [${level}]`, r })),
      ),
      ...(pk ? [{ label: 'portkey_chat_completion', r: pk }] : []),
      ...(bare ? [{ label: 'bare_fastify_json_post', r: bare.scenarios.bare_fastify_json_post }] : []),
    ];
    process.stdout.write(`\n${table(rows)}\n\n`);
    for (const [level, run] of Object.entries(service))
      log(
        `service ${level}: ready in ${run.startup_to_ready_ms} ms, idle RSS ${run.idle_rss_mib} MiB, after load ${run.rss_after_all_mib} MiB`,
      );
    if (portkey)
      log(
        `portkey ${portkey.version}: ready in ${portkey.startup_to_ready_ms} ms, idle RSS ${portkey.idle_rss_mib} MiB`,
      );
    log(`ratios (ours / Portkey): ${JSON.stringify(ratios)}`);
    if (slow) log(`slow model, added latency (ms): ${JSON.stringify(slow.added_latency)}`);
    log(`targets: ${JSON.stringify(targets)}`);
    log(
      `load average at start ${loadStart.join(' ')}, at end ${loadAverage().join(' ')} (nproc ${machineInfo().nproc})`,
    );
    log(`written ${join(RESULTS, 'latest.json')}`);
    if (process.env.BENCH_MARKDOWN) process.stdout.write(`\n${markdownTable(rows)}\n`);
  } finally {
    fake.stop();
    await redis.stop();
    // Profiles stay with the logs (their path is printed); otherwise the scratch folder goes.
    if (!keepLogs) rmSync(logDir, { recursive: true, force: true });
    else log(`logs kept in ${logDir}`);
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => (stopAllChildren(), process.exit(130)));
main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench failed: ${e?.stack ?? e}\n`);
    stopAllChildren();
    process.exit(1);
  },
);
