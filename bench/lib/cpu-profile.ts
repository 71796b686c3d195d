import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface ProfileSummary {
  total_ms: number;
  busy_ms: number;
  /** Self time by where the code lives: an npm package, our compiled src/ folder, Node internals, GC. */
  by_area: { area: string; ms: number; pct_of_busy: number }[];
  top_functions: { fn: string; where: string; ms: number; pct_of_busy: number }[];
}

/** Where a frame's code lives, e.g. `pkg:pino`, `src:chat`, `node:internal`, `(garbage collector)`. */
function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return `pkg:${pkg[1]}`;
  const ours = url.match(/\/dist\/([^/]+)\//);
  if (ours) return `src:${ours[1]}`;
  if (/\/dist\/[^/]+\.js$/.test(url)) return 'src:(root)';
  if (url.startsWith('node:'))
    return url
      .replace(/^node:(internal\/)?/, 'node:')
      .split('/')
      .slice(0, 2)
      .join('/');
  return url;
}

const short = (url: string) =>
  url
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/dist\//, 'dist/')
    .replace(/^file:\/\//, '');

/**
 * Self-time summary of a V8 .cpuprofile written by `node --cpu-prof`, limited to the samples taken
 * within `window` (ms since the profile started, ≈ since spawn): the measured run, not start-up.
 */
export function summarizeProfile(file: string, window?: { start: number; end: number }, top = 30): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
  };
  const hits = new Map<number, number>();
  let t = 0;
  let first = Infinity;
  let last = 0;
  let taken = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] / 1000;
    if (window && (t < window.start || t > window.end)) continue;
    first = Math.min(first, t);
    last = Math.max(last, t);
    taken += 1;
    hits.set(p.samples[i], (hits.get(p.samples[i]) ?? 0) + 1);
  }
  const total_ms = taken ? last - first : 0;
  const interval = total_ms / Math.max(1, taken);
  const byArea = new Map<string, number>();
  const byFn = new Map<string, { fn: string; where: string; ms: number }>();
  let busy = 0;
  for (const n of p.nodes) {
    const ms = (hits.get(n.id) ?? 0) * interval;
    if (!ms) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') continue;
    busy += ms;
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    const key = `${functionName}@${url}:${lineNumber}`;
    const e = byFn.get(key) ?? {
      fn: functionName || '(anonymous)',
      where: url ? `${short(url)}:${lineNumber + 1}` : area,
      ms: 0,
    };
    e.ms += ms;
    byFn.set(key, e);
  }
  const pct = (ms: number) => +((100 * ms) / (busy || 1)).toFixed(1);
  return {
    total_ms: Math.round(total_ms),
    busy_ms: Math.round(busy),
    by_area: [...byArea]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([area, ms]) => ({ area, ms: Math.round(ms), pct_of_busy: pct(ms) })),
    top_functions: [...byFn.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ ...f, ms: Math.round(f.ms), pct_of_busy: pct(f.ms) })),
  };
}
