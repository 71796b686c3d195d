import { canonicalJson, validationCacheKey } from './cache-key';

describe('validation cache key', () => {
  const base = { rulesVersion: 'v1', companyId: 1, dte: { tipo_dte: 33, folio: 1 }, history: [], today: '2026-03-20' };

  it('ignores key order and has the cache:validation: prefix', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    const a = validationCacheKey(base);
    expect(a).toMatch(/^cache:validation:[0-9a-f]{64}$/);
    expect(validationCacheKey({ ...base, dte: { folio: 1, tipo_dte: 33 } })).toBe(a);
  });

  it.each([
    ['company', { companyId: 2 }],
    ['dte', { dte: { tipo_dte: 33, folio: 2 } }],
    ['history', { history: ['rechazo'] }],
    ['day', { today: '2026-03-21' }],
    ['rules version', { rulesVersion: 'v2' }],
  ])('changes with the %s', (_what, change) => {
    expect(validationCacheKey({ ...base, ...change })).not.toBe(validationCacheKey(base));
  });
});
