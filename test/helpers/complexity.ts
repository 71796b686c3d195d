import http from 'node:http';
import { NASTY_KEYS } from './fuzz-arbitraries';

/**
 * Pathological payloads for the complexity fuzzer: values built to make naive code slow (quadratic
 * regexes, recursive walks, per-element work) rather than wrong. Each family is JSON text of about
 * `bytes` bytes, to be placed in a request body that stays under the 1 MiB limit.
 */
export interface Family {
  name: string;
  /** JSON text of the value. */
  json(bytes: number): string;
}

/** A JSON string literal repeating `unit` to about `bytes` bytes (escapes counted). */
export function runOf(unit: string, bytes: number): string {
  const per = Buffer.byteLength(JSON.stringify(unit)) - 2;
  return JSON.stringify(unit.repeat(Math.max(1, Math.floor((bytes - 2) / per))));
}

/** A JSON array of `count` copies of `element` (JSON text), cut to fit `bytes`. */
export function arrayOf(element: string, count: number, bytes: number): string {
  const n = Math.max(1, Math.min(count, Math.floor((bytes - 2) / (Buffer.byteLength(element) + 1))));
  return `[${new Array(n).fill(element).join(',')}]`;
}

/** One character from every Unicode plane (0–16), plus BMP specials and lone surrogates. */
const EVERY_PLANE =
  'aZ0ñ\u00A0\u2028\u2029\uFEFF\u202E\u0301\uFFFD\uD800\uDFFF' +
  Array.from({ length: 17 }, (_, plane) =>
    String.fromCodePoint(plane * 0x10000 + (plane === 0 ? 0x4e2d : 0x0100)),
  ).join('');

/** An object with `count` keys named like Object.prototype's members (and near misses), cut to fit `bytes`. */
function shadowingKeys(count: number, bytes: number): string {
  const names = [...NASTY_KEYS.filter((k) => k !== '__proto__'), 'toJSON', '__proto__ ', '__proto', 'isPrototypeOf'];
  const parts: string[] = [];
  let size = 2;
  for (let i = 0; i < count; i++) {
    const value = i % 3 === 0 ? '{"toString":1,"valueOf":{},"toJSON":"x"}' : i % 3 === 1 ? '1' : '"<&\\""';
    const part = `${JSON.stringify(i < names.length ? names[i] : `${names[i % names.length]}${i}`)}:${value}`;
    size += Buffer.byteLength(part) + 1;
    if (size > bytes) break;
    parts.push(part);
  }
  return `{${parts.join(',')}}`;
}

/** Objects nested `depth` levels (the parser refuses more than 64). */
const nested = (depth: number, leaf: string) => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);

export const FAMILIES: Family[] = [
  { name: 'run of "a"', json: (b) => runOf('a', b) },
  { name: 'run of "<"', json: (b) => runOf('<', b) },
  { name: 'run of "<a" (unclosed tags)', json: (b) => runOf('<a ', b) },
  { name: 'run of "&"', json: (b) => runOf('&amp;&#', b) },
  { name: 'run of quotes', json: (b) => runOf('"\'`', b) },
  { name: 'run of spaces and newlines', json: (b) => runOf(' \n\t', b) },
  { name: 'run of digits', json: (b) => runOf('1', b) },
  { name: 'run of "_html" (key-pattern bait)', json: (b) => runOf('x_attachment_html', b) },
  { name: 'run of backslashes and NULs', json: (b) => runOf('\\\u0000', b) },
  { name: 'every Unicode plane', json: (b) => runOf(EVERY_PLANE, b) },
  { name: '200k numbers 1.5', json: (b) => arrayOf('1.5', 200_000, b) },
  { name: '200k strings "<"', json: (b) => arrayOf('"<"', 200_000, b) },
  { name: '200k empty objects', json: (b) => arrayOf('{}', 200_000, b) },
  { name: '200k empty arrays', json: (b) => arrayOf('[]', 200_000, b) },
  { name: 'nesting to the depth limit', json: () => nested(58, '"<<<<"') },
  { name: 'nesting at the depth limit, wide', json: (b) => arrayOf(nested(54, '1'), 100_000, b) },
  { name: 'toString/valueOf/toJSON/__proto__-like keys', json: (b) => shadowingKeys(100_000, b) },
];

/**
 * GETs /health/live over its own keep-alive connection every `everyMs`, recording each probe's
 * start and latency: a blocked event loop in the service shows as a slow probe.
 */
export class LivenessProbe {
  private readonly probes: { start: number; ms: number }[] = [];
  private inFlight: Promise<void> | null = null;
  private timer?: NodeJS.Timeout;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    private readonly url: string,
    private readonly everyMs = 20,
  ) {}

  start() {
    const tick = () => {
      if (!this.inFlight) this.inFlight = this.once().finally(() => (this.inFlight = null));
      this.timer = setTimeout(tick, this.everyMs);
    };
    tick();
  }

  async stop() {
    clearTimeout(this.timer);
    await this.inFlight;
    this.agent.destroy();
  }

  /** Waits for the probe in flight, then the slowest probe that overlapped [from, to] (ms). */
  async worstBetween(from: number, to: number): Promise<number> {
    await this.inFlight;
    let worst = 0;
    for (const p of this.probes) if (p.start <= to && p.start + p.ms >= from) worst = Math.max(worst, p.ms);
    return worst;
  }

  private once(): Promise<void> {
    const start = performance.now();
    return new Promise((resolve) => {
      const req = http.get(`${this.url}/health/live`, { agent: this.agent }, (res) => {
        res.resume();
        res.on('end', () => {
          this.probes.push({ start, ms: performance.now() - start });
          resolve();
        });
      });
      req.on('error', () => {
        this.probes.push({ start, ms: Infinity });
        resolve();
      });
    });
  }
}
