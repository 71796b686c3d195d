import { boundJson, cutString, JsonBudget } from './bounded-json';

const BUDGET: JsonBudget = { maxStringChars: 5, maxKeyChars: 8, maxArrayItems: 3, maxObjectKeys: 2, maxDepth: 3 };

describe('boundJson', () => {
  it.each([
    ['a short string', 'abc', 'abc'],
    ['a long string', 'abcdefgh', 'abcde'],
    ['a number', 1.5, 1.5],
    ['null', null, null],
    ['a boolean', false, false],
    ['a long array', [1, 2, 3, 4, 5], [1, 2, 3]],
    ['nesting past the depth', [[[[1]]]], [[[null]]]],
  ])('keeps %s within the budget', (_what, input, expected) => {
    expect(boundJson(input, BUDGET)).toEqual(expected);
  });

  it('keeps the first keys of an object, cuts long keys, and gives it no prototype', () => {
    const out = boundJson({ toString: 1, abcdefghij: 'x', c: 3 }, BUDGET) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect({ ...out }).toEqual({ toString: 1, abcdefgh: 'x' });
  });

  it('always keeps the named top-level keys, wherever they come in the object', () => {
    const input: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) input[`k${i}`] = i;
    input.tipo_dte = 33;
    const out = boundJson(input, { ...BUDGET, alwaysKeep: new Set(['tipo_dte', 'folio']) }) as Record<string, unknown>;
    expect({ ...out }).toEqual({ tipo_dte: 33, k0: 0, k1: 1 });
  });

  it('never splits a surrogate pair', () => {
    expect(cutString('abcd😀', 5)).toBe('abcd');
    expect(cutString('abc😀', 5)).toBe('abc😀');
  });
});
