import { parseAmount, parseIsoDate, parsePositiveInt, pesos } from './parse-values';

describe('amounts as Odoo sends them', () => {
  it.each([
    [119000, 119000],
    [119000.0, 119000],
    ['119000', 119000],
    ['119000.00', 119000],
    [' 42 ', 42],
    [0, 0],
  ])('reads %p as %i pesos', (input, value) => {
    expect(parseAmount(input)).toEqual({ kind: 'ok', value });
  });

  it.each([[undefined], [null], [false], ['']])('reads %p as absent', (input) => {
    expect(parseAmount(input)).toEqual({ kind: 'absent' });
  });

  it.each([
    [119000.5, 'sin decimales'],
    ['119000.5', 'sin decimales'],
    ['abc', 'no es un número'],
    ['119.000', 'separador de miles'],
    ['1,5', 'no es un número'],
    [-1, 'negativo'],
    [true, 'no es un número'],
    [{ value: 1 }, 'no es un número'],
    [2 ** 60, 'demasiado grande'],
  ])('refuses %p', (input, reason) => {
    const parsed = parseAmount(input);
    expect(parsed.kind).toBe('invalid');
    expect((parsed as { reason: string }).reason).toContain(reason);
  });

  it('allows up to four decimals when asked (foreign-currency exports)', () => {
    expect(parseAmount(12500.75, { decimals: true })).toEqual({ kind: 'ok', value: 12500.75 });
    expect(parseAmount(1.23456, { decimals: true }).kind).toBe('invalid');
  });

  it.each([
    [33, 33],
    ['33', 33],
    ['61.0', 61],
    [0, null],
    [-3, null],
    [1.5, null],
    ['x', null],
    [null, null],
  ])('reads positive integer %p as %p', (input, out) => {
    expect(parsePositiveInt(input)).toBe(out);
  });

  it('prints pesos with thousands dots', () => {
    expect(pesos(1190000)).toBe('1.190.000');
    expect(pesos(12500.75)).toBe('12.500,75');
  });
});

describe('dates', () => {
  it.each([
    ['2026-03-10', '2026-03-10'],
    ['2026-03-10T23:59:00Z', '2026-03-10'],
    ['2026-03-10T15:30:00-03:00', '2026-03-10'],
    ['2026-03-10 15:30:00', '2026-03-10'],
    ['2024-02-29', '2024-02-29'],
    ['2026-02-29', null],
    ['10-03-2026', null],
    ['2026-3-1', null],
    [20260310, null],
  ])('reads %p as %p', (input, out) => {
    expect(parseIsoDate(input)).toBe(out);
  });
});
