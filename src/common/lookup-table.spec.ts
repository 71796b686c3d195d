import { constantTable, lookupTable } from './lookup-table';

describe('lookup tables keyed by outside names', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])('has no %s unless given', (name) => {
    const table = constantTable({ draft: 'Borrador' });
    expect(table[name]).toBeUndefined();
    expect(name in table).toBe(false);
  });

  it('keeps `__proto__` as an ordinary entry, leaving Object.prototype alone', () => {
    const sums = lookupTable<number>();
    sums['__proto__'] = 1;
    sums['constructor'] = 2;
    expect(Object.keys(sums)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
    expect(JSON.parse(JSON.stringify(sums))).toEqual(JSON.parse('{"__proto__":1,"constructor":2}'));
  });
});
