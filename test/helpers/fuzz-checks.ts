import type { TestRedis } from './redis-server';
import type { RunningApp } from './test-app';

/** What the service answered, whichever client sent the request. */
export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Traces of internals that must never reach a client: stack frames, source paths, module paths.
 * A marker the request itself contained (echoed back, e.g. in a 404 path) does not count.
 */
const LEAK_MARKERS: [string, RegExp][] = [
  ['stack frame', /\bat [^\s()]+ \([^)]*:\d+:\d+\)/],
  ['anonymous stack frame', /\bat (file:|node:|\/)\S*:\d+:\d+/],
  ['multi-line stack', /(\n|\\n)\s*at /],
  ['project path', /\/work\//],
  ['typescript source', /\.ts:\d*/],
  ['compiled source line', /\.js:\d+/],
  ['node_modules path', /node_modules/],
  ['error class dump', /\b(TypeError|RangeError|ReferenceError|SyntaxError): /],
];

/**
 * The invariants every fuzzed answer must hold. Returns a list of violations (empty = fine):
 * no 5xx (or status 0: no answer at all), a JSON body with a non-empty `detail` string on every
 * 4xx, and nothing from LEAK_MARKERS that the request did not carry itself.
 */
export function violations(a: Answer, sent: string): string[] {
  const out: string[] = [];
  if (a.status === 0) out.push('no HTTP answer (connection dropped)');
  if (a.status >= 500) out.push(`status ${a.status}`);
  if (a.status >= 400 && a.status < 500) {
    let json: any;
    try {
      json = JSON.parse(a.body);
    } catch {
      out.push(`${a.status} body is not JSON: ${a.body.slice(0, 120)}`);
    }
    if (json !== undefined) {
      if (!/json/i.test(a.contentType)) out.push(`${a.status} content-type is ${a.contentType || 'missing'}`);
      if (typeof json?.detail !== 'string' || !json.detail.trim())
        out.push(`${a.status} without a detail string: ${a.body.slice(0, 160)}`);
    }
  }
  for (const [name, re] of LEAK_MARKERS) {
    const m = re.exec(a.body);
    if (m && !sent.includes(m[0].trim()))
      out.push(`${name} leaked: …${a.body.slice(Math.max(0, m.index - 40), m.index + 80)}…`);
  }
  return out;
}

/**
 * Collects what a fuzz run found instead of stopping at the first failure, so one run lists every
 * distinct defect: violations are grouped by endpoint and kind, each with its shortest input.
 */
export class FuzzFindings {
  readonly statuses: Record<string, number> = {};
  private readonly groups = new Map<string, { count: number; example: string }>();

  /** Tallies the status and records every invariant the answer breaks. */
  check(endpoint: string, a: Answer, sent: string) {
    const cls = a.status === 0 ? 'none' : `${Math.floor(a.status / 100)}xx`;
    this.statuses[cls] = (this.statuses[cls] ?? 0) + 1;
    for (const v of violations(a, sent)) this.add(endpoint, v, sent);
  }

  /** Records a failed expectation of the test itself (e.g. "413 past 1 MiB"). */
  expect(ok: boolean, endpoint: string, what: string, sent: string) {
    if (!ok) this.add(endpoint, what, sent);
  }

  private add(endpoint: string, violation: string, sent: string) {
    const kind = `${endpoint} → ${violation.split(':')[0].slice(0, 80)}`;
    const g = this.groups.get(kind);
    const example = sent.length > 240 ? `${sent.slice(0, 200)}… (${Buffer.byteLength(sent)} bytes)` : sent;
    if (!g) this.groups.set(kind, { count: 1, example });
    else {
      g.count += 1;
      if (sent.length < g.example.length) g.example = example;
    }
  }

  /** One line per distinct defect: "POST /x → status 500 (×12) e.g. {…}". Empty when clean. */
  summary(): string[] {
    return [...this.groups].map(([kind, g]) => `${kind} (×${g.count}) e.g. ${g.example}`);
  }
}

/** The seed of this run's properties: FUZZ_SEED to replay one, otherwise a new one each run. */
export const fuzzSeed = () => Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

/** A JSON request through fetch, as an Answer. */
export async function sendJson(
  svc: RunningApp,
  method: string,
  path: string,
  rawBody?: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(svc.url + path, {
    method,
    headers: {
      authorization: `Bearer ${svc.key}`,
      ...(rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: rawBody,
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** Session ids that have keys in Redis (`chat:session:{id}:…`), as an operator would list them. */
export function sessionIdsInRedis(redis: TestRedis): string[] {
  const keys = redis.cli('-n', '1', '--scan', '--pattern', 'chat:session:*').split('\n').filter(Boolean);
  return [...new Set(keys.map((k) => /^chat:session:(.*):(history|context)$/.exec(k)?.[1] ?? `<unexpected key ${k}>`))];
}

/** Every key in DB 1 whose shape is none of the contract's (chat:session:, cost_tracker:, cache:, sii:) or the service's own. */
export function unexpectedKeys(redis: TestRedis, allowed: RegExp[]): string[] {
  const keys = redis.cli('-n', '1', '--scan', '--pattern', '*').split('\n').filter(Boolean);
  return keys.filter((k) => !allowed.some((re) => re.test(k)));
}

/** The service answers /health as healthy and /health/live as 200. */
export async function assertHealthy(svc: RunningApp) {
  const h = await svc.call('GET', '/health', undefined, { auth: false });
  if (h.status !== 200 || h.json?.status !== 'healthy')
    throw new Error(`unhealthy after the run: ${h.status} ${h.text.slice(0, 300)}`);
  const live = await svc.call('GET', '/health/live', undefined, { auth: false });
  if (live.status !== 200) throw new Error(`/health/live ${live.status}`);
}

/** Object.prototype as the process started: a pollution through a request shows up here (startApp runs in-process). */
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
export function assertNoPrototypePollution() {
  const now = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
  if (now !== PROTOTYPE_KEYS) throw new Error(`Object.prototype changed: ${now}`);
  const probe: any = {};
  for (const k of ['polluted', 'isAdmin', 'x'])
    if (probe[k] !== undefined) throw new Error(`Object.prototype.${k} is set`);
}
