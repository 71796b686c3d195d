import { freePort } from '../../test/helpers/ports';
import { FakeLlmProcess } from './fake-llm';
import { onEmergencyStop } from './processes';
import { portkeyPackage, startPortkey } from './portkey';
import { ScenarioResult } from './report';
import { startService } from './service';
import { Env, runPortkey, runService, ServerRun } from './suite';
import { ratio, round } from './stats';

/** What we add on top of the model's own time: each latency percentile minus the model's delay. */
export interface AddedLatency {
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

const added = (r: ScenarioResult | undefined, modelMs: number): AddedLatency | null =>
  r
    ? {
        p50_ms: round(r.latency.p50_ms - modelMs),
        p95_ms: round(r.latency.p95_ms - modelMs),
        p99_ms: round(r.latency.p99_ms - modelMs),
      }
    : null;

/**
 * A slow model: the fake answers after `modelMs` (1 s), many connections (400). Ours and Portkey,
 * one after the other against the same fake; the figure is the latency each adds to the model's.
 */
export async function runSlowModel(env: Env, modelMs: number, connections: number) {
  const fake = await FakeLlmProcess.start(modelMs);
  onEmergencyStop(() => fake.stop());
  try {
    const slowEnv: Env = { ...env, fake, settings: { ...env.settings, connections } };
    env.log(`slow model: the fake answers after ${modelMs} ms; ${connections} connections`);
    const { run, chatBodies } = await runService(slowEnv, 'info', ['chat_turn']);
    const portkey = await runPortkey(slowEnv, chatBodies);
    const ours = added(run.scenarios.chat_turn, modelMs);
    const theirs = added(portkey?.scenarios.portkey_chat_completion, modelMs);
    return {
      model_ms: modelMs,
      connections,
      service: run,
      portkey,
      added_latency: { service: ours, portkey: theirs },
      added_latency_ratio:
        ours && theirs
          ? {
              p50: ratio(ours.p50_ms, theirs.p50_ms),
              p95: ratio(ours.p95_ms, theirs.p95_ms),
              p99: ratio(ours.p99_ms, theirs.p99_ms),
            }
          : null,
    };
  } finally {
    fake.stop();
  }
}

export interface StartupSeries {
  spawns: number;
  ready_ms: number[];
  median_ms: number;
  min_ms: number;
  max_ms: number;
  idle_rss_mib: number[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function summarizeStartup(ready: number[], rss: number[]): StartupSeries {
  return {
    spawns: ready.length,
    ready_ms: ready,
    median_ms: median(ready),
    min_ms: Math.min(...ready),
    max_ms: Math.max(...ready),
    idle_rss_mib: rss,
  };
}

/** Spawn → first 200 from /health/ready, `spawns` times each, ours and Portkey interleaved. */
export async function runStartupSeries(env: Env, spawns: number) {
  const ours: number[] = [];
  const oursRss: number[] = [];
  const theirs: number[] = [];
  const theirsRss: number[] = [];
  const pkg = portkeyPackage();
  for (let i = 0; i < spawns; i++) {
    const s = await startService({
      main: env.main,
      logDir: env.logDir,
      port: await freePort(),
      redisUrl: env.redisUrl,
      fakeAnthropicUrl: env.fake.url,
      apiKeys: ['bench-startup-key-0123456789abcdef0123'],
      logLevel: 'info',
      name: `startup-${i}`,
    });
    ours.push(s.readyMs);
    await new Promise((r) => setTimeout(r, 1000));
    oursRss.push(s.proc.rss());
    await s.proc.stop();
    if (pkg) {
      const p = await startPortkey(pkg.dir, await freePort(), env.logDir);
      theirs.push(p.readyMs);
      await new Promise((r) => setTimeout(r, 1000));
      theirsRss.push(p.proc.rss());
      await p.proc.stop();
    }
  }
  const result = {
    service: summarizeStartup(ours, oursRss),
    portkey: theirs.length ? summarizeStartup(theirs, theirsRss) : null,
  };
  env.log(
    `start-up (spawn → ready, ${spawns} spawns): ours median ${result.service.median_ms} ms ` +
      `[${result.service.min_ms}–${result.service.max_ms}]` +
      (result.portkey ? `, Portkey median ${result.portkey.median_ms} ms` : ''),
  );
  return result;
}

/** The highest RSS any service process reached during the whole bench (sampled every 250 ms). */
export function peakServiceRss(runs: (ServerRun | null | undefined)[]): number {
  return Math.max(0, ...runs.map((r) => r?.rss_peak_mib ?? 0));
}
