import fc from 'fast-check';
import { encodeSegment, hostileKey, hostileString, longString } from '../helpers/fuzz-arbitraries';
import {
  Answer,
  assertHealthy,
  assertNoPrototypePollution,
  FuzzFindings,
  fuzzSeed,
  sessionIdsInRedis,
} from '../helpers/fuzz-checks';
import { Endpoint, FuzzTarget, GET_PATHS, postEndpoints, startFuzzTarget } from '../helpers/fuzz-target';
import { RawResponse, rawRequest } from '../helpers/raw-http';

const PUBLIC = /^\/(health|live|ready|metrics$|docs)/;
const QUERY_NAMES: Record<string, string[]> = {
  '/api/chat/knowledge/search': ['query', 'top_k', 'module'],
  '/metrics/costs': ['period'],
  '/api/ai/sii/status': ['limit'],
};

const asAnswer = (r: RawResponse): Answer => ({
  status: r.status,
  contentType: r.headers['content-type']?.[0] ?? '',
  body: r.body,
});

/** Printable ASCII only (what may go into a header value or a request line as is). */
const headerSafe = (s: string) => s.replace(/[^\x20-\x7e]/g, '');

/**
 * Hostile query strings on every GET endpoint, hostile headers (authorization, content types,
 * accept, request ids, duplicates, encodings) on every endpoint, and malformed HTTP, all sent
 * over a bare socket so nothing is normalised on the way: no 5xx, a JSON error with `detail` on
 * every 4xx, no auth bypass, no leak, a healthy service afterwards.
 */
describe('fuzz: query strings, headers and raw HTTP', () => {
  let t: FuzzTarget;
  let posts: Endpoint[];
  let findings: FuzzFindings;
  /** Replay a run with FUZZ_SEED=<seed> (printed in every failure). */
  const seed = fuzzSeed();
  const statuses: Record<string, Record<string, number>> = {};

  beforeAll(async () => {
    t = await startFuzzTarget();
    posts = postEndpoints(t.deadUrl);
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
        .currentTestName!.replace(/^fuzz: query strings, headers and raw HTTP /, '')
        .slice(0, 40)
    ] = findings.statuses;
    await assertHealthy(t.svc);
    assertNoPrototypePollution();
    expect(sessionIdsInRedis(t.redis).filter((id) => !t.acceptedSessionIds.has(id))).toEqual([]);
  });

  const send = (head: string[], body: Buffer | string = '') => rawRequest(t.port, head.join('\r\n'), body);

  it('hostile query strings on every GET endpoint', async () => {
    const pair = (path: string) =>
      fc.tuple(
        fc.oneof(fc.constantFrom(...(QUERY_NAMES[path] ?? ['q'])), hostileKey),
        fc.oneof(
          { arbitrary: hostileString, weight: 5 },
          { arbitrary: longString(100, 400), weight: 1 },
          { arbitrary: fc.constantFrom('0', '-1', '21', '3.5', '1e3', 'today', 'all_time', 'TODAY', ''), weight: 2 },
        ),
        fc.constantFrom('encoded', 'raw-junk'),
      );
    const query = (path: string) =>
      fc
        .array(pair(path), { maxLength: 5 })
        .map((pairs) =>
          pairs
            .map(([k, v, how]) =>
              how === 'encoded'
                ? `${encodeSegment(k)}=${encodeSegment(v)}`
                : `${headerSafe(k).replace(/[ #]/g, '')}=${headerSafe(v).replace(/[ #]/g, '').slice(0, 50)}%`,
            )
            .join('&'),
        );
    const arb = fc.constantFrom(...GET_PATHS).chain((path) => fc.tuple(fc.constant(path), query(path)));
    await fc.assert(
      fc.asyncProperty(arb, async ([path, q]) => {
        const target = `${path}?${q}`;
        const r = await send([
          `GET ${target} HTTP/1.1`,
          'Host: localhost',
          `Authorization: Bearer ${t.svc.key}`,
          'Connection: close',
        ]);
        findings.check(`GET ${path}`, asAnswer(r), target);
      }),
      { numRuns: 250, seed },
    );
    // The documented refusals name their parameter.
    for (const [target, field] of [
      ['/metrics/costs?period=forever', 'period'],
      ['/api/chat/knowledge/search?top_k=99&query=iva', 'top_k'],
      ['/api/chat/knowledge/search?query=iva&query=folio', 'query'],
      ['/api/ai/sii/status?limit=abc', 'limit'],
    ]) {
      const r = await send([
        `GET ${target} HTTP/1.1`,
        'Host: localhost',
        `Authorization: Bearer ${t.svc.key}`,
        'Connection: close',
      ]);
      findings.expect(
        r.status === 400 && JSON.parse(r.body).detail.includes(field),
        `GET ${target}`,
        `${r.status} not naming ${field}`,
        target,
      );
    }
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });

  it('hostile headers on every endpoint: authorization, content type, accept, request id, duplicates, encodings', async () => {
    const key = t.svc.key;
    const auth = fc.constantFrom<[string, boolean]>(
      [`Authorization: Bearer ${key}`, true],
      ['', false],
      ['Authorization: Bearer', false],
      ['Authorization: Bearer ', false],
      [`Authorization: bearer ${key}`, true],
      [`Authorization: Basic ${Buffer.from(`user:${key}`).toString('base64')}`, false],
      [`Authorization: Bearer ${key}x`, false],
      [`Authorization: Bearer ${key.slice(0, -1)}`, false],
      [`Authorization: Bearer ${key} ${key}`, false],
      [`Authorization: Bearer  ${key}`, true],
      [`Authorization: Bearer wrong\r\nAuthorization: Bearer ${key}`, false],
      [`Authorization: Bearer ${'k'.repeat(8000)}`, false],
      ['Authorization: Bearer *', false],
      ['Authorization: Bearer %00', false],
      ["Authorization: Bearer ' OR '1'='1", false],
    );
    const contentType = fc.constantFrom(
      '',
      'Content-Type: application/json',
      'Content-Type: application/json; charset=utf-8',
      'Content-Type: application/json; charset=latin1',
      'Content-Type: application/json; charset=utf-16',
      'Content-Type: text/plain',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Type: application/x-www-form-urlencoded',
      'Content-Type: multipart/form-data; boundary=xyz',
      'Content-Type: application/xml',
      'Content-Type: */*',
      'Content-Type: application/json, text/plain',
      'Content-Type:',
      'Content-Type: APPLICATION/JSON',
      'Content-Type: application/jsonx',
      'Content-Type: application/vnd.api+json',
      'Content-Type: text/plain\r\nContent-Type: application/json',
      'Content-Type: application/json;;;charset="utf-8"',
    );
    const extra = fc.subarray([
      'Accept: text/event-stream',
      'Accept: application/xml',
      'Accept: */*;q=0',
      'Accept: text/event-stream;q=0, application/json',
      `X-Request-Id: ${'r'.repeat(300)}`,
      'X-Request-Id: ../../etc/passwd',
      'X-Request-Id: <script>',
      'X-Forwarded-For: 1.1.1.1, ::1, garbage',
      'X-Forwarded-Proto: gopher',
      '__proto__: polluted',
      'constructor: polluted',
      'Content-Encoding: gzip',
      'Content-Encoding: br, identity',
      'Expect: 100-continue',
      'Host: evil.example',
      'Accept-Charset: utf-16',
      'X-Odoo-Db: %00',
      'Cookie: session_id=../../x',
      'Range: bytes=0-1',
      'If-None-Match: *',
      'Origin: null',
      'X-HTTP-Method-Override: DELETE',
      'Connection: keep-alive, Upgrade',
      'Upgrade: websocket',
      `X-Big: ${'x'.repeat(4000)}`,
    ]);
    // (A Content-Length shorter than the body is pipelining garbage, covered with the malformed HTTP below.)
    const bodyForm = fc.constantFrom('json', 'bom', 'latin1', 'chunked', 'empty', 'nul');
    const endpoint = fc.oneof(
      fc.constantFrom(...posts),
      fc.constantFrom(...GET_PATHS.map((path): Endpoint => ({ method: 'GET', path }))),
    );
    await fc.assert(
      fc.asyncProperty(
        endpoint,
        auth,
        contentType,
        extra,
        bodyForm,
        async (ep, [authLine, authValid], ct, extras, form) => {
          const json = ep.valid ? JSON.stringify(ep.valid) : '';
          let body: Buffer = Buffer.from(json);
          if (form === 'bom') body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
          if (form === 'latin1') body = Buffer.from(json.replace('"', '"ñ\u00ff'), 'latin1');
          if (form === 'empty') body = Buffer.alloc(0);
          if (form === 'nul') body = Buffer.concat([body, Buffer.from([0, 0])]);
          const head = [
            `${ep.method} ${ep.path} HTTP/1.1`,
            'Host: localhost',
            'Connection: close',
            authLine,
            ct,
            ...extras,
          ].filter(Boolean);
          if (ep.method === 'POST' && form === 'chunked') {
            head.push('Transfer-Encoding: chunked');
            body = Buffer.concat([Buffer.from(body.length.toString(16) + '\r\n'), body, Buffer.from('\r\n0\r\n\r\n')]);
          } else if (ep.method === 'POST') head.push(`Content-Length: ${body.length}`);
          const r = await send(head, ep.method === 'POST' ? body : '');
          const a = asAnswer(r);
          const sent = `${head.join('\n')}\n[body: ${form}]`;
          t.noteAnswer(a.status, a.body);
          findings.check(`${ep.method} ${ep.path}`, a, sent);
          // Security: no valid Bearer key in the first Authorization header → never past the guard.
          const firstAuthValid = authValid && !authLine.includes('wrong');
          if (!PUBLIC.test(ep.path) && !firstAuthValid)
            findings.expect(
              a.status === 401 || a.status === 400 || a.status === 431 || a.status === 413 || a.status === 415,
              `${ep.method} ${ep.path}`,
              `${a.status} without a valid key`,
              sent,
            );
        },
      ),
      { numRuns: 300, seed },
    );
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });

  it('wrong methods and unknown paths: 404/405 JSON with detail', async () => {
    const paths = [
      ...GET_PATHS,
      ...posts.map((e) => e.path),
      '/api/chat/session/abc',
      '/api',
      '/',
      '/api/chat/knowledge/reload',
      '/favicon.ico',
      '/.env',
      '/api/../.env',
    ];
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      for (const path of paths) {
        const r = await send(
          [
            `${method} ${path} HTTP/1.1`,
            'Host: localhost',
            `Authorization: Bearer ${t.svc.key}`,
            'Content-Type: application/json',
            'Content-Length: 2',
            'Connection: close',
          ],
          '{}',
        );
        t.noteAnswer(r.status, r.body);
        findings.check(`${method} ${path}`, asAnswer(r), path);
      }
    }
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });

  it('malformed HTTP: bad request lines, lying lengths, smuggling-shaped headers, oversized headers', async () => {
    const key = `Authorization: Bearer ${t.svc.key}`;
    const cases: [string, string[], string?][] = [
      ['HTTP/9.9', ['GET /health HTTP/9.9', 'Host: x']],
      ['lowercase method', ['get /health HTTP/1.1', 'Host: x']],
      ['unknown method', ['BREW /health HTTP/1.1', 'Host: x']],
      ['no Host', ['GET /api/chat/knowledge/search?query=iva HTTP/1.1', key]],
      ['absolute-form', ['GET http://evil.example/api/chat/knowledge/search?query=iva HTTP/1.1', 'Host: x', key]],
      ['asterisk-form', ['OPTIONS * HTTP/1.1', 'Host: x']],
      ['header without colon', ['GET /health HTTP/1.1', 'Host: x', 'NoColonHere']],
      ['space before colon', ['GET /health HTTP/1.1', 'Host: x', 'X-Bad : 1']],
      ['NUL in header', ['GET /health HTTP/1.1', 'Host: x', 'X-Nul: a\u0000b']],
      [
        'negative length',
        ['POST /api/chat/message HTTP/1.1', 'Host: x', key, 'Content-Type: application/json', 'Content-Length: -1'],
        '{}',
      ],
      [
        'non-numeric length',
        ['POST /api/chat/message HTTP/1.1', 'Host: x', key, 'Content-Type: application/json', 'Content-Length: abc'],
        '{}',
      ],
      [
        'two lengths',
        [
          'POST /api/chat/message HTTP/1.1',
          'Host: x',
          key,
          'Content-Type: application/json',
          'Content-Length: 2',
          'Content-Length: 5',
        ],
        '{}',
      ],
      [
        'length and chunked',
        [
          'POST /api/chat/message HTTP/1.1',
          'Host: x',
          key,
          'Content-Type: application/json',
          'Content-Length: 4',
          'Transfer-Encoding: chunked',
        ],
        '0\r\n\r\n',
      ],
      [
        'shorter length (pipelined garbage)',
        ['POST /api/chat/message HTTP/1.1', 'Host: x', key, 'Content-Type: application/json', 'Content-Length: 15'],
        '{"message":"Hola"}',
      ],
      [
        'bad chunk size',
        [
          'POST /api/chat/message HTTP/1.1',
          'Host: x',
          key,
          'Content-Type: application/json',
          'Transfer-Encoding: chunked',
        ],
        'zz\r\n{}\r\n0\r\n\r\n',
      ],
      [
        'chunked, gzip',
        [
          'POST /api/chat/message HTTP/1.1',
          'Host: x',
          key,
          'Content-Type: application/json',
          'Transfer-Encoding: gzip, chunked',
        ],
        '2\r\n{}\r\n0\r\n\r\n',
      ],
      [
        'HTTP/1.0 POST',
        ['POST /api/chat/message HTTP/1.0', key, 'Content-Type: application/json', 'Content-Length: 18'],
        '{"message":"Hola"}',
      ],
      ['20 KB header', ['GET /health HTTP/1.1', 'Host: x', `X-Huge: ${'h'.repeat(20_000)}`]],
      ['20 KB URL', [`GET /api/chat/knowledge/search?query=${'q'.repeat(20_000)} HTTP/1.1`, 'Host: x', key]],
      ['300 headers', ['GET /health HTTP/1.1', 'Host: x', ...Array.from({ length: 300 }, (_, i) => `X-H${i}: ${i}`)]],
      ['bare newlines', ['GET /health HTTP/1.1\nHost: x']],
      ['only CRLF', ['']],
    ];
    for (const [name, head, body] of cases) {
      const r = await send([...head, 'Connection: close'], body ?? '');
      t.noteAnswer(r.status, r.body);
      findings.check(name, asAnswer(r), head.join('\n') + (body ?? ''));
    }
    expect({ seed, defects: findings.summary() }).toEqual({ seed, defects: [] });
  });
});
