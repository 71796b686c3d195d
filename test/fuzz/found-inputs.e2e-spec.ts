import { assertHealthy, FuzzFindings, sendJson } from '../helpers/fuzz-checks';
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
