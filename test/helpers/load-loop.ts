/**
 * A small closed-loop load generator for the fault suite: N workers, each sending one request at a
 * time for a fixed duration, every answer kept as a sample (status, time, label) so a test can
 * count statuses per phase (before / during / after a fault) and find the first success after
 * recovery. Network errors are samples with status 0, never exceptions.
 */

export interface Sample {
  /** What the request was (e.g. 'chat', 'validate'), set by the shot function. */
  label: string;
  status: number;
  /** Epoch ms when the request started and ended. */
  start: number;
  end: number;
  json?: any;
  headers?: Headers;
  error?: string;
}

export type Shot = (worker: number, seq: number) => Promise<Sample>;

export interface LoadRun {
  samples: Sample[];
  /** Resolves once every worker stopped (after `stop()` or the duration). */
  done: Promise<Sample[]>;
  stop(): void;
}

/** Starts `workers` loops of `shot` that run for `durationMs` (or until stop()). */
export function startLoad(workers: number, durationMs: number, shot: Shot): LoadRun {
  const samples: Sample[] = [];
  const until = Date.now() + durationMs;
  let stopped = false;
  const loop = async (w: number) => {
    for (let seq = 0; !stopped && Date.now() < until; seq++) samples.push(await shot(w, seq));
  };
  const done = Promise.all(Array.from({ length: workers }, (_, w) => loop(w))).then(() => samples);
  return { samples, done, stop: () => (stopped = true) };
}

/** One JSON HTTP request as a Sample (never throws). */
export async function jsonShot(
  label: string,
  url: string,
  init: { method?: string; body?: unknown; key?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Sample> {
  const start = Date.now();
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(url, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { label, status: res.status, start, end: Date.now(), json, headers: res.headers };
  } catch (e) {
    return { label, status: 0, start, end: Date.now(), error: (e as Error).message };
  }
}

/** `{ label: { status: count } }`, for reports and assertions. */
export function statusTable(samples: Sample[]): Record<string, Record<number, number>> {
  const table: Record<string, Record<number, number>> = {};
  for (const s of samples) {
    const row = (table[s.label] ??= {});
    row[s.status] = (row[s.status] ?? 0) + 1;
  }
  return table;
}

/** Counts per status class ('2xx', '5xx', 'network'…) across samples. */
export function statusClasses(samples: Sample[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) {
    const k = s.status === 0 ? 'network' : `${Math.floor(s.status / 100)}xx`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Nearest-rank percentile of a list of numbers (0 for an empty list). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
