import { assertHealthy, FuzzFindings, sendJson, violations } from '../helpers/fuzz-checks';
import { FuzzTarget, startFuzzTarget } from '../helpers/fuzz-target';

/**
 * The smallest inputs the fuzz properties found that once broke the service, kept as plain table
 * tests so each defect has a name, a minimal reproduction, and stays fixed.
 */
describe('fuzz findings, minimal reproductions', () => {
  let t: FuzzTarget;
  beforeAll(async () => (t = await startFuzzTarget()));
  afterAll(() => t?.close());
  afterEach(() => assertHealthy(t.svc));

  const answer = async (path: string, body: string) => {
    const findings = new FuzzFindings();
    const a = await sendJson(t.svc, 'POST', path, body);
    findings.check(`POST ${path}`, a, body);
    return { a, problems: findings.summary() };
  };

  // Found by "valid bodies with fields replaced, removed or added": class-transformer walks into
  // the open dte_data and trips over an own `constructor` key (TypeError → 500). Odoo would then
  // fail open and send the DTE unchecked.
  it.each([
    ['in dte_data', '{"dte_data":{"constructor":-1},"company_id":1,"history":[]}'],
    ['beside real DTE fields', '{"dte_data":{"tipo_dte":33,"folio":1,"constructor":"x"},"company_id":1}'],
    ['in an item', '{"dte_data":{"tipo_dte":33,"items":[{"constructor":1}]},"company_id":1}'],
    ['in a history entry', '{"dte_data":{"tipo_dte":33},"company_id":1,"history":[{"constructor":1}]}'],
    ['in the bare (envelope-less) body', '{"tipo_dte":33,"folio":1,"constructor":1}'],
  ])('POST /api/ai/validate with a "constructor" key %s answers a verdict, not a 500', async (_where, body) => {
    const { a, problems } = await answer('/api/ai/validate', body);
    expect(problems).toEqual([]);
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body).recommendation).toBe('reject');
  });

  // Found by "deep nesting…": past ~1 300 levels the recursive walks before the handler (Nest's
  // ValidationPipe.stripProtoKeys, class-transformer) overflow the stack (RangeError → 500).
  // JSON.parse itself copes; a depth limit at parse time would answer a clear 400.
  const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
  it.each([
    ['/api/chat/session/new', `{"user_context":{"record":${deep(2000)}}}`],
    ['/api/chat/message', `{"message":"Hola","user_context":{"record":${deep(2000)}}}`],
    ['/api/chat/message/stream', `{"message":"Hola","user_context":{"record":${deep(2000)}}}`],
    ['/api/chat', `{"message":"Hola","context":{"active_record_data":{"lines":${deep(2000)}}}}`],
    ['/api/ai/validate', `{"dte_data":{"tipo_dte":33,"items":${deep(2000)}},"company_id":1}`],
    ['/api/ai/sii/monitor', `{"urls":${deep(2000)}}`],
    ['/api/chat/session/new', deep(2000)],
  ])('POST %s with JSON nested 2 000 levels deep is refused with a 4xx and a detail, not a 500', async (path, body) => {
    const { a, problems } = await answer(path, body);
    expect(problems).toEqual([]);
    expect(a.status).toBeLessThan(500);
  });
});

/** The oracle every fuzz property relies on must be able to fail: bad answers are flagged, good ones pass. */
describe('the fuzz oracle (violations)', () => {
  const json = 'application/json; charset=utf-8';
  it.each([
    ['a 500', { status: 500, contentType: json, body: '{"detail":"x"}' }],
    ['no answer', { status: 0, contentType: '', body: '' }],
    ['a 4xx that is not JSON', { status: 400, contentType: 'text/plain', body: 'Bad Request' }],
    [
      'a 4xx without detail',
      { status: 400, contentType: json, body: '{"error":"Bad Request","message":"Client Error","statusCode":400}' },
    ],
    ['a 4xx with an empty detail', { status: 404, contentType: json, body: '{"detail":" "}' }],
    [
      'a stack frame',
      { status: 200, contentType: json, body: '{"x":"TypeError: boom\\n    at Foo.bar (/app/dist/x.js:10:5)"}' },
    ],
    ['a project path', { status: 400, contentType: json, body: '{"detail":"en /work/main/src/a"}' }],
    ['a TypeScript location', { status: 400, contentType: json, body: '{"detail":"dte-envelope.pipe.ts:78"}' }],
    ['a node_modules path', { status: 200, contentType: json, body: '{"e":"node_modules/class-transformer"}' }],
  ])('flags %s', (_name, answer) => {
    expect(violations(answer, 'GET /x').length).toBeGreaterThan(0);
  });

  it.each([
    ['a 200', { status: 200, contentType: json, body: '{"ok":true}' }],
    [
      'a Spanish 400',
      { status: 400, contentType: json, body: '{"statusCode":400,"detail":"El campo \\"session_id\\" no es válido."}' },
    ],
    [
      'an echoed marker the request carried',
      { status: 404, contentType: json, body: '{"detail":"No existe","message":"Cannot GET /work/x"}' },
    ],
  ])('accepts %s', (_name, answer) => {
    expect(violations(answer, 'GET /work/x')).toEqual([]);
  });
});
