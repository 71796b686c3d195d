import fc from 'fast-check';
import { brokenJson, deepJson, hostileKey, hostileValue, longString } from '../helpers/fuzz-arbitraries';
import {
  assertHealthy,
  assertNoPrototypePollution,
  FuzzFindings,
  fuzzSeed,
  sendJson,
  sessionIdsInRedis,
  unexpectedKeys,
} from '../helpers/fuzz-checks';
import { ALLOWED_KEY_SHAPES, Endpoint, FuzzTarget, postEndpoints, startFuzzTarget } from '../helpers/fuzz-target';

type Op = { where: string[]; op: 'replace' | 'delete' | 'add'; key: string; value: unknown };

/** Paths of a valid body down to two levels (['message'], ['user_context', 'company_name']…). */
function fieldPaths(body: Record<string, unknown>): string[][] {
  const out: string[][] = [[]];
  for (const [k, v] of Object.entries(body)) {
    out.push([k]);
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const k2 of Object.keys(v)) out.push([k, k2]);
  }
  return out;
}

/** Defines an own property (so `__proto__` is carried by JSON); an edit arrays refuse (`length`) is skipped. */
function define(target: object, key: string, value: unknown) {
  try {
    Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  } catch {
    /* e.g. an array's `length` set to a non-number */
  }
}

/** Applies the edits to a copy; keys such as `__proto__` become own properties (so JSON carries them). */
function mutate(valid: Record<string, unknown>, ops: Op[]): unknown {
  let root: any = structuredClone(valid);
  for (const { where, op, key, value } of ops) {
    if (!where.length) {
      if (op === 'replace') root = value;
      else if (root && typeof root === 'object') define(root, key, value);
      continue;
    }
    let parent = root;
    for (const k of where.slice(0, -1)) parent = parent && typeof parent === 'object' ? parent[k] : undefined;
    if (!parent || typeof parent !== 'object') continue;
    const last = where[where.length - 1];
    if (op === 'delete') delete parent[last];
    else if (op === 'replace') parent[last] = value;
    else if (parent[last] && typeof parent[last] === 'object') define(parent[last], key, value);
    else parent[last] = { [key]: value };
  }
  return root;
}

const mutatedBody = (ep: Endpoint): fc.Arbitrary<string> =>
  fc
    .array(
      fc.record({
        where: fc.constantFrom(...fieldPaths(ep.valid!)),
        op: fc.constantFrom<Op['op']>('replace', 'delete', 'add'),
        key: hostileKey,
        value: hostileValue,
      }),
      { minLength: 1, maxLength: 3 },
    )
    .map((ops) => JSON.stringify(mutate(ep.valid!, ops)) ?? 'null');

/** Where a nested or huge value goes in each endpoint's body. */
const carriers: Record<string, (v: string) => string> = {
  '/api/chat/session/new': (v) => `{"user_context":{"company_name":"Fuzz","extra":${v}}}`,
  '/api/chat/message': (v) => `{"message":"Hola","user_context":{"record":${v}}}`,
  '/api/chat/message/stream': (v) => `{"message":"Hola","user_context":${v}}`,
  '/api/chat': (v) => `{"message":"Hola","context":{"module":"account","active_record_data":{"lines":${v}}}}`,
  '/api/ai/validate': (v) => `{"dte_data":{"tipo_dte":33,"folio":1,"items":${v}},"company_id":1,"history":[${v}]}`,
  '/api/ai/sii/monitor': (v) => `{"urls":${v}}`,
};

/**
 * Malformed and hostile JSON bodies on every POST endpoint of the contract: no 5xx, a JSON error
 * with a Spanish `detail` on every 4xx, no stack trace or path in any body, no prototype
 * pollution in the process, no Redis key for a session the service refused, healthy afterwards.
 */
describe('fuzz: request bodies on every POST endpoint', () => {
  let t: FuzzTarget;
  let endpoints: Endpoint[];
  let findings: FuzzFindings;
  /** Replay a run with FUZZ_SEED=<seed> (printed in every failure). */
  const seed = fuzzSeed();
  const statuses: Record<string, Record<string, number>> = {};

  beforeAll(async () => {
    t = await startFuzzTarget();
    endpoints = postEndpoints(t.deadUrl);
  });
  afterAll(async () => {
    console.log(JSON.stringify({ seed, statuses }));
    await t?.close();
  });
  beforeEach(() => (findings = new FuzzFindings()));
  afterEach(async () => {
    statuses[
      expect
        .getState()
        .currentTestName!.replace(/^fuzz: request bodies on every POST endpoint /, '')
        .slice(0, 40)
    ] = findings.statuses;
    await assertHealthy(t.svc);
    assertNoPrototypePollution();
    const stray = sessionIdsInRedis(t.redis).filter((id) => !t.acceptedSessionIds.has(id));
    expect(stray).toEqual([]);
    expect(unexpectedKeys(t.redis, ALLOWED_KEY_SHAPES)).toEqual([]);
  });

  const send = async (ep: Endpoint, body: string) => {
    const a = await sendJson(
      t.svc,
      ep.method,
      ep.path,
      body,
      ep.path.endsWith('/stream') ? { accept: 'text/event-stream' } : {},
    );
    t.noteAnswer(a.status, a.body);
    findings.check(`${ep.method} ${ep.path}`, a, body);
    return a;
  };

  it('the valid bodies are accepted (the fuzzing starts from working requests)', async () => {
    for (const ep of endpoints) expect((await send(ep, JSON.stringify(ep.valid))).status).toBe(200);
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });

  it('valid bodies with fields replaced, removed or added (wrong types, unicode, pollution keys)', async () => {
    const arb = fc.constantFrom(...endpoints).chain((ep) => fc.tuple(fc.constant(ep), mutatedBody(ep)));
    await fc.assert(
      fc.asyncProperty(arb, async ([ep, body]) => void (await send(ep, body))),
      { numRuns: 300, seed },
    );
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });

  it('any hostile JSON value as the whole body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...endpoints),
        hostileValue,
        async (ep, v) => void (await send(ep, JSON.stringify(v) ?? 'null')),
      ),
      { numRuns: 150, seed },
    );
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });

  it('broken JSON (truncated, single quotes, NaN, BOM, trailing garbage, duplicate keys)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), brokenJson, async (ep, body) => void (await send(ep, body))),
      { numRuns: 150, seed },
    );
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });

  it('deep nesting, as the whole body or inside an open object (up to the 1 MiB limit and past it)', async () => {
    const arb = fc.tuple(fc.constantFrom(...endpoints), deepJson(50, 200_000), fc.boolean());
    await fc.assert(
      fc.asyncProperty(arb, async ([ep, deep, whole]) => {
        const body = whole ? deep : carriers[ep.path](deep);
        const a = await send(ep, body);
        if (Buffer.byteLength(body) > 1024 * 1024)
          findings.expect(a.status === 413, `${ep.method} ${ep.path}`, `${a.status} instead of 413 past 1 MiB`, body);
      }),
      { numRuns: 60, seed },
    );
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });

  it('huge strings in every field, up to ~1.2 MiB (413 past 1 MiB, 400 past the field limits)', async () => {
    const arb = fc.tuple(fc.constantFrom(...endpoints), longString(4_001, 1_200_000));
    await fc.assert(
      fc.asyncProperty(arb, async ([ep, s]) => {
        const body = carriers[ep.path](JSON.stringify(s));
        const a = await send(ep, body);
        if (Buffer.byteLength(body) > 1024 * 1024)
          findings.expect(a.status === 413, `${ep.method} ${ep.path}`, `${a.status} instead of 413 past 1 MiB`, body);
      }),
      { numRuns: 30, seed },
    );
    for (const ep of endpoints.filter((e) => e.valid!.message)) {
      const a = await send(ep, JSON.stringify({ ...ep.valid, message: 'x'.repeat(4001) }));
      expect(a.status).toBe(400);
      expect(JSON.parse(a.body).detail).toMatch(/message/);
    }
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });

  it('prototype-pollution payloads anywhere in the body', async () => {
    const payloads = [
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"message":"Hola","user_context":{"__proto__":{"isAdmin":true}}}',
      '{"message":"Hola","user_context":{"constructor":{"prototype":{"isAdmin":true}}}}',
      '{"message":"Hola","context":{"odoo":{"__proto__":{"polluted":1}}}}',
      '{"dte_data":{"__proto__":{"polluted":1},"tipo_dte":33},"company_id":1}',
      '{"dte_data":{"tipo_dte":33,"referencias":[{"__proto__":{"polluted":1}}]},"company_id":1}',
      '{"tipo_dte":33,"folio":1,"constructor":{"prototype":{"polluted":1}}}',
      '{"urls":{"__proto__":["http://127.0.0.1:1/"]}}',
      '{"message":"Hola","__proto__":null}',
    ];
    for (const ep of endpoints) {
      for (const body of payloads) {
        await send(ep, body);
        assertNoPrototypePollution();
      }
    }
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });
});
