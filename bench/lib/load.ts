import { loadAverage } from './machine';
import { round, summarizeLatency, Latency } from './stats';
import { sleep } from './processes';

import autocannon from 'autocannon';

export interface LoadSettings {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Fixed offered load in requests/s across all connections (autocannon overallRate); unset = as fast as answered. */
  rate?: number;
}

/** One request shape; `setup` may vary it per request (autocannon's setupRequest). */
export interface Target {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: unknown;
  setup?: (n: number) => { path?: string; body?: unknown; headers?: Record<string, string> };
}

export interface LoadResult {
  requests_per_s: number;
  ok_per_s: number;
  latency: Latency;
  total: number;
  /** Requests written, including those still in flight when the run stopped. */
  sent: number;
  ok_2xx: number;
  non_2xx: number;
  status_codes: Record<string, number>;
  errors: number;
  timeouts: number;
  rss_mib: { before: number; max: number; mean: number; after: number; each_second: number[] };
  /** CPU time (user + system) the server process spent per response: robust to a busy machine. */
  server_cpu_ms_per_request: number;
  /** Server CPU use during the run, in cores (1.0 = one core busy the whole time). */
  server_cpu_cores: number;
  /**
   * CPU ms per response of the other processes sharing the machine during the run (the fake LLM,
   * Redis, the load generator): what is left of the 2 cores for the server is what bounds req/s.
   */
  rig_cpu_ms_per_request?: Record<string, number>;
  /** When the measured run ran, in the bench's performance.now() clock (to cut a CPU profile). */
  window_ms: { start: number; end: number };
  loadavg_before: number[];
  duration_s: number;
}

/** Per target, so the measured run continues the warm-up's sequence (new folios stay new). */
const sequence = new WeakMap<Target, number>();

function requestsFor(target: Target) {
  const encode = (b: unknown) => (b === undefined ? undefined : JSON.stringify(b));
  return [
    {
      method: target.method,
      path: target.path,
      headers: target.headers,
      body: encode(target.body),
      ...(target.setup
        ? {
            setupRequest: (req: any) => {
              const n = sequence.get(target) ?? 0;
              sequence.set(target, n + 1);
              const v = target.setup!(n);
              return {
                ...req,
                path: v.path ?? target.path,
                body: v.body === undefined ? encode(target.body) : encode(v.body),
                headers: { ...target.headers, ...v.headers },
              };
            },
          }
        : {}),
    },
  ];
}

function run(
  url: string,
  target: Target,
  connections: number,
  seconds: number,
  onResponse?: (status: number, ms: number) => void,
  rate?: number,
): Promise<any> {
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: requestsFor(target),
    ...(rate ? { overallRate: rate } : {}),
    // Without a callback autocannon returns its instance (an EventEmitter), which is also a thenable.
  }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  const events: autocannon.Instance = instance;
  if (onResponse)
    events.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => onResponse(status, ms));
  return instance; // thenable: resolves with autocannon's result object
}

/**
 * Warm-up (discarded), then the measured run. Latency percentiles are computed from every
 * response's own time (autocannon's summary has no p95); RSS of `pid` is sampled every 200 ms.
 */
export interface Observed {
  rss(): number;
  cpuSeconds(): number;
}

export async function measure(
  url: string,
  target: Target,
  s: LoadSettings,
  server: Observed,
  afterWarmup?: () => Promise<void>,
  rigCpu?: () => Record<string, number>,
): Promise<LoadResult> {
  const rssOf = () => server.rss();
  if (s.warmupSeconds > 0) await run(url, target, s.connections, s.warmupSeconds, undefined, s.rate);
  await sleep(500);
  await afterWarmup?.();
  const loadavg_before = loadAverage();
  const before = rssOf();
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(rssOf()), 200);
  const times: number[] = [];
  const codes: Record<string, number> = {};
  const cpuStart = server.cpuSeconds();
  const rigStart = rigCpu?.();
  const start = performance.now();
  const result = await run(
    url,
    target,
    s.connections,
    s.durationSeconds,
    (status, ms) => {
      times.push(ms);
      codes[status] = (codes[status] ?? 0) + 1;
    },
    s.rate,
  );
  const end = performance.now();
  const cpu = server.cpuSeconds() - cpuStart;
  const rigEnd = rigCpu?.();
  clearInterval(sampler);
  await sleep(2000);
  const after = rssOf();
  const valid = rss.filter((x) => !Number.isNaN(x));
  const ok = result['2xx'] as number;
  const total = times.length;
  return {
    requests_per_s: round(total / result.duration, 0),
    ok_per_s: round(ok / result.duration, 0),
    latency: summarizeLatency(times),
    total,
    sent: result.requests.sent,
    ok_2xx: ok,
    non_2xx: result.non2xx,
    status_codes: codes,
    errors: result.errors,
    timeouts: result.timeouts,
    rss_mib: {
      before,
      max: Math.max(...valid),
      mean: round(valid.reduce((a, b) => a + b, 0) / (valid.length || 1), 1),
      after,
      each_second: valid.filter((_, i) => i % 5 === 4),
    },
    server_cpu_ms_per_request: round((cpu * 1000) / (total || 1), 3),
    server_cpu_cores: round(cpu / ((end - start) / 1000), 2),
    ...(rigStart && rigEnd
      ? {
          rig_cpu_ms_per_request: Object.fromEntries(
            Object.keys(rigEnd).map((k) => [k, round(((rigEnd[k] - rigStart[k]) * 1000) / (total || 1), 3)]),
          ),
        }
      : {}),
    window_ms: { start: Math.round(start), end: Math.round(end) },
    loadavg_before,
    duration_s: result.duration,
  };
}
