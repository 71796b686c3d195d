import fc from 'fast-check';
import { encodeSegment, hostileSessionId, hostileValue, validSessionId } from '../helpers/fuzz-arbitraries';
import {
  assertHealthy,
  FuzzFindings,
  fuzzSeed,
  sendJson,
  sessionIdsInRedis,
  unexpectedKeys,
} from '../helpers/fuzz-checks';
import { ALLOWED_KEY_SHAPES, FuzzTarget, startFuzzTarget } from '../helpers/fuzz-target';
import { rawRequest } from '../helpers/raw-http';

const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Injection-looking session ids (path traversal, encoded dots, Redis glob characters, CR/LF,
 * SQL-ish text, unicode, over-long ids, wrong JSON types) in the path and in every body field
 * that carries one: each is a 400 naming session_id, never a 5xx, and never a Redis key; a
 * well-formed unknown id is a 404 on the endpoints that do not start sessions.
 */
describe('fuzz: session ids in paths and bodies', () => {
  let t: FuzzTarget;
  let findings: FuzzFindings;
  /** Replay a run with FUZZ_SEED=<seed> (printed in every failure). */
  const seed = fuzzSeed();
  const statuses: Record<string, Record<string, number>> = {};

  beforeAll(async () => (t = await startFuzzTarget()));
  afterAll(async () => {
    console.log(JSON.stringify({ seed, statuses, sessionsInRedis: sessionIdsInRedis(t.redis).length }));
    await t?.close();
  });
  beforeEach(() => (findings = new FuzzFindings()));
  afterEach(async () => {
    statuses[
      expect
        .getState()
        .currentTestName!.replace(/^fuzz: session ids in paths and bodies /, '')
        .slice(0, 40)
    ] = findings.statuses;
    await assertHealthy(t.svc);
    const inRedis = sessionIdsInRedis(t.redis);
    expect(inRedis.filter((id) => !SESSION_ID.test(id))).toEqual([]);
    expect(inRedis.filter((id) => !t.acceptedSessionIds.has(id))).toEqual([]);
    expect(unexpectedKeys(t.redis, ALLOWED_KEY_SHAPES)).toEqual([]);
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const raw = body === undefined ? undefined : JSON.stringify(body);
    const a = await sendJson(t.svc, method, path, raw);
    t.noteAnswer(a.status, a.body);
    findings.check(`${method} ${path.replace(/session\/.*/, 'session/:id')}`, a, path + (raw ?? ''));
    return a;
  };

  /** The 400 names session_id (or the whole body was refused first, for carrying a `__proto__` key). */
  const namesSessionId = (body: string, sent = '') => {
    try {
      const { detail } = JSON.parse(body);
      // A prototype-poisoning body (`__proto__`, or `constructor` holding `prototype`, at any depth)
      // is refused whole by the body parser, before any field is read: its detail names the key.
      const poisoned = sent.includes('"__proto__"') || (sent.includes('"constructor"') && sent.includes('"prototype"'));
      return /session_id/.test(detail) || (poisoned && /__proto__ o constructor\.prototype/.test(detail));
    } catch {
      return false;
    }
  };

  const raw = async (method: string, path: string) => {
    const r = await rawRequest(
      t.port,
      [`${method} ${path} HTTP/1.1`, 'Host: localhost', `Authorization: Bearer ${t.svc.key}`, 'Connection: close'].join(
        '\r\n',
      ),
    );
    return { status: r.status, contentType: r.headers['content-type']?.[0] ?? '', body: r.body };
  };

  it('GET and DELETE /api/chat/session/:id with hostile ids (percent-encoded): 400 naming session_id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'DELETE'), hostileSessionId, async (method, id) => {
        // Sent over a bare socket: fetch would normalise "." and ".." segments away before sending.
        const path = `/api/chat/session/${encodeSegment(id)}`;
        const a = await raw(method, path);
        findings.check(`${method} /api/chat/session/:id`, a, path);
        const expected = SESSION_ID.test(id) ? 404 : 400;
        findings.expect(
          a.status === expected,
          `${method} /api/chat/session/:id`,
          `${a.status} instead of ${expected}`,
          path,
        );
        if (a.status === 400)
          findings.expect(
            namesSessionId(a.body),
            `${method} /api/chat/session/:id`,
            '400 whose detail does not name session_id',
            path,
          );
      }),
      { numRuns: 250, seed },
    );
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });

  it('well-formed unknown ids: 404 with a detail telling the user to open a new conversation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'DELETE'), validSessionId, async (method, id) => {
        const a = await call(method, `/api/chat/session/${id}`);
        if (t.acceptedSessionIds.has(id)) return;
        findings.expect(
          a.status === 404 && /nueva conversación/i.test(JSON.parse(a.body).detail),
          `${method} /api/chat/session/:id`,
          `${a.status} instead of 404 (nueva conversación)`,
          id,
        );
      }),
      { numRuns: 100, seed },
    );
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });

  it('raw paths as sent on the wire (traversal, globs, bad escapes, CR/LF, spaces, case): never 5xx, always a JSON error', async () => {
    const raws = [
      '/api/chat/session/../../health',
      '/api/chat/session/..%2F..%2Fhealth',
      '/api/chat/session/%2e%2e',
      '/api/chat/session/%2E%2E%2F%2E%2E',
      '/api/chat/session/*',
      '/api/chat/session/chat:session:*',
      '/api/chat/session/[a-z]*',
      '/api/chat/session/a?b=c',
      '/api/chat/session/%',
      '/api/chat/session/%zz',
      '/api/chat/session/%ED%A0%80',
      '/api/chat/session/%C0%AE%C0%AE',
      '/api/chat/session/%00',
      '/api/chat/session/%0d%0aFLUSHALL',
      "/api/chat/session/'%20OR%20'1'='1",
      '/api/chat/session/x;DROP%20TABLE',
      '/api/chat/session/',
      '/api/chat/session',
      '/api/chat/session/a/b',
      '/api/chat/session/x/',
      '//api/chat/session/x',
      '/API/CHAT/SESSION/x',
      '/api/chat/session/x#frag',
      '/api/chat/session/' + 'a'.repeat(129),
      '/api/chat/session/' + 'a'.repeat(300),
      '/api/chat/session/' + '%41'.repeat(129),
      '/api/chat/session/\u00f1and\u00fa',
      '/api/chat/session/;jsessionid=1',
      '/api/chat/session/x%20y',
      '/api/chat/session/a\\b',
      '/api/chat/session/~x',
      '/api/chat/session/x.json',
      '/api/chat/session/%252e%252e',
    ];
    for (const method of ['GET', 'DELETE']) {
      for (const path of raws) findings.check(`${method} ${path.slice(0, 40)}`, await raw(method, path), path);
    }
    // A CR/LF smuggled into the request line: the server must not read it as a second request.
    const crlf = await rawRequest(
      t.port,
      `GET /api/chat/session/x\r\nFLUSHALL HTTP/1.1\r\nHost: localhost\r\nConnection: close`,
    );
    findings.check(
      'GET /api/chat/session/<CRLF>',
      { status: crlf.status, contentType: crlf.headers['content-type']?.[0] ?? '', body: crlf.body },
      'CRLF',
    );
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });

  it('hostile session_id in the bodies of /api/chat/message, /stream and /api/chat (also context.session_id): 400 naming it', async () => {
    // `context` is an open object: a context.session_id that is not a string is just ignored there.
    const carriers: [string, (id: unknown) => unknown, boolean][] = [
      ['/api/chat/message', (id) => ({ session_id: id, message: 'Hola' }), true],
      ['/api/chat/message/stream', (id) => ({ session_id: id, message: 'Hola' }), true],
      ['/api/chat', (id) => ({ session_id: id, message: 'Hola' }), true],
      ['/api/chat', (id) => ({ message: 'Hola', context: { session_id: id, module: 'l10n_cl_dte' } }), false],
    ];
    // (null, false and '' are Odoo's "no value" and read as absent; NaN/Infinity serialise as null.)
    const notAnId = fc.oneof(
      hostileSessionId,
      hostileValue.filter(
        (v) => typeof v !== 'string' && v !== null && v !== false && !(typeof v === 'number' && !Number.isFinite(v)),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...carriers), notAnId, async ([path, make, typed], id) => {
        const a = await call('POST', path, make(id));
        // Odoo's "no value" (null/false/'') reads as absent, and a well-formed id is legitimate.
        if (typeof id === 'string' && SESSION_ID.test(id)) return;
        if (!typed && typeof id !== 'string') return;
        const sent = JSON.stringify(make(id));
        findings.expect(a.status === 400, `POST ${path}`, `${a.status} instead of 400`, sent);
        if (a.status === 400)
          findings.expect(
            namesSessionId(a.body, sent),
            `POST ${path}`,
            '400 whose detail does not name session_id',
            sent,
          );
      }),
      { numRuns: 250, seed },
    );
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });

  it('well-formed ids: /api/chat starts a session under the caller id; /api/chat/message answers 404 and creates nothing', async () => {
    await fc.assert(
      fc.asyncProperty(validSessionId, async (id) => {
        const known = t.acceptedSessionIds.has(id);
        const m = await call('POST', '/api/chat/message', { session_id: id, message: 'Hola' });
        if (!known)
          findings.expect(
            m.status === 404,
            'POST /api/chat/message',
            `${m.status} instead of 404 for an unknown id`,
            id,
          );
        const w = await call('POST', '/api/chat', { session_id: id, message: 'Hola' });
        findings.expect(
          w.status === 200 && JSON.parse(w.body).session_id === id,
          'POST /api/chat',
          `${w.status} or another id for a caller-named id`,
          id,
        );
      }),
      { numRuns: 60, seed },
    );
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });
});
