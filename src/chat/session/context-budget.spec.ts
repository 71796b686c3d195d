import { boundContext } from './context-budget';

const map = (o: Record<string, unknown>) => new Map(Object.entries(o).map(([k, v]) => [k, JSON.stringify(v)]));
const keys = (m: Map<string, string>) => [...m.keys()];
const LOOSE = { maxKeys: 100, maxBytes: 64 * 1024 };

describe('boundContext', () => {
  it('merges a turn over the stored context: resent keys replace, nothing is dropped under the limits', () => {
    const r = boundContext(map({ company_name: 'A', x: 1 }), map({ company_name: 'B', y: 2 }), LOOSE);
    expect(Object.fromEntries(r.kept)).toEqual({ company_name: '"B"', y: '2', x: '1' });
    expect(r.dropped).toEqual([]);
    expect(r.bytes).toBe('company_name"B"y2x1'.length);
  });

  it.each([
    // stored, incoming, maxKeys, kept, dropped
    [{ a: 1, b: 2 }, { c: 3, d: 4 }, 3, ['c', 'd', 'a'], ['b']],
    [{ company_name: 'A', a: 1 }, { c: 3, d: 4 }, 2, ['company_name', 'c'], ['d', 'a']],
    [{ a: 1 }, { user_role: 'x', company_rut: 'y', c: 3 }, 2, ['user_role', 'company_rut'], ['c', 'a']],
    [{ module: 'account', a: 1 }, { a: 5, b: 6 }, 2, ['module', 'a'], ['b']],
    [{}, { a: 1, b: 2, c: 3 }, 0, [], ['a', 'b', 'c']],
  ])('stored %j + sent %j, at most %p keys → keeps %j, drops %j', (stored, incoming, maxKeys, kept, dropped) => {
    const r = boundContext(map(stored), map(incoming), { maxKeys, maxBytes: 1e6 });
    expect(keys(r.kept)).toEqual(kept);
    expect(r.dropped).toEqual(dropped);
  });

  it('stays within the byte budget, skipping a value too large on its own but keeping smaller ones', () => {
    const big = 'x'.repeat(200);
    const r = boundContext(map({ old: 'o'.repeat(80) }), map({ company_name: 'ACME', huge: big, small: 1 }), {
      maxKeys: 10,
      maxBytes: 100,
    });
    expect(keys(r.kept)).toEqual(['company_name', 'small']);
    expect(r.dropped).toEqual(['huge', 'old']);
    expect(r.bytes).toBeLessThanOrEqual(100);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const r = boundContext(new Map(), map({ a: 'ñ'.repeat(10) }), { maxKeys: 10, maxBytes: 21 });
    expect(r.dropped).toEqual(['a']);
  });
});
