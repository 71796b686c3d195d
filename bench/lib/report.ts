import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LoadResult } from './load';

export interface ScenarioResult extends LoadResult {
  scenario: string;
  description: string;
  /** Upstream LLM calls the fake received per request sent (1 = one real call per turn; null = none expected). */
  upstream_calls_per_2xx: number | null;
  sample?: unknown;
  /** Redis commands per request sent, by command (INFO commandstats deltas; 0 for Portkey). */
  redis_commands_per_request: Record<string, number>;
  /** The measured run relative to the server's spawn (a CPU profile's time zero). */
  window_since_spawn_ms: { start: number; end: number };
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** CPU ms per request of the fake LLM + Redis + load generator together ('-' when not measured). */
function rigTotal(r: ScenarioResult): string {
  const rig = r.rig_cpu_ms_per_request;
  return rig
    ? Object.values(rig)
        .reduce((a, b) => a + b, 0)
        .toFixed(3)
    : '-';
}

/** A fixed-width table of the measured runs, for stdout. */
export function table(rows: { label: string; r: ScenarioResult }[]): string {
  const head = [
    'scenario',
    'req/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'non-2xx',
    'errors',
    'CPU ms/req',
    'cores',
    'rig ms/req',
    'RSS max MiB',
    'LLM calls/req',
    'load1',
  ];
  const widths = [34, 7, 8, 8, 8, 7, 6, 10, 5, 10, 11, 13, 5];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? pad(c, widths[i]) : lpad(c, widths[i]))).join(' ');
  const out = [line(head), line(widths.map((w) => '-'.repeat(w)))];
  for (const { label, r } of rows) {
    out.push(
      line([
        label,
        String(r.requests_per_s),
        String(r.latency.p50_ms),
        String(r.latency.p95_ms),
        String(r.latency.p99_ms),
        String(r.non_2xx),
        String(r.errors + r.timeouts),
        String(r.server_cpu_ms_per_request),
        String(r.server_cpu_cores),
        rigTotal(r),
        String(r.rss_mib.max),
        r.upstream_calls_per_2xx === null ? '-' : String(r.upstream_calls_per_2xx),
        String(r.loadavg_before[0]),
      ]),
    );
  }
  return out.join('\n');
}

/** The same rows as a Markdown table (pasted into docs/performance.md). */
export function markdownTable(rows: { label: string; r: ScenarioResult }[]): string {
  const out = [
    '| scenario | req/s | p50 ms | p95 ms | p99 ms | non-2xx | errors | server CPU ms/req | server cores | RSS max MiB | LLM calls/req | load avg (1 min) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { label, r } of rows) {
    out.push(
      `| ${label} | ${r.requests_per_s} | ${r.latency.p50_ms} | ${r.latency.p95_ms} | ${r.latency.p99_ms} | ${r.non_2xx} | ${r.errors + r.timeouts} | ${r.server_cpu_ms_per_request} | ${r.server_cpu_cores} | ${r.rss_mib.max} | ${r.upstream_calls_per_2xx ?? '-'} | ${r.loadavg_before[0]} |`,
    );
  }
  return out.join('\n');
}

export function writeJson(path: string, data: unknown) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(data, null, 2) + '\n');
}
