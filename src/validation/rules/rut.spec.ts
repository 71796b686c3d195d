import { formatRut, parseRut, rutCheckDigit } from './rut';

describe('RUT', () => {
  it.each([
    [76086428, '5'],
    [96790240, '3'],
    [76354771, 'K'],
    [60803000, 'K'], // SII's own RUT
    [66666666, '6'],
    [55555555, '5'],
    [12345678, '5'],
    [11111111, '1'],
    [96806980, '2'],
    [4000003, '8'],
  ])('computes the modulo-11 check digit of %i as %s', (body, dv) => {
    expect(rutCheckDigit(body)).toBe(dv);
  });

  it.each([
    ['76.086.428-5', '76086428-5'],
    ['76086428-5', '76086428-5'],
    ['760864285', '76086428-5'],
    ['76.354.771-k', '76354771-K'],
    ['76354771K', '76354771-K'],
    [' 4.000.003-8 ', '4000003-8'],
    ['15-9', '15-9'],
  ])('accepts %p as %s', (input, normalized) => {
    expect(parseRut(input)).toMatchObject({ ok: true, normalized });
  });

  it.each([
    ['76.086.428-4', '5'],
    ['12345678-9', '5'],
    ['76354771-0', 'K'],
  ])('refuses the check digit of %p (expects %s)', (input, expectedDv) => {
    expect(parseRut(input)).toMatchObject({ ok: false, reason: 'dv', expectedDv });
  });

  it.each([['abc-1'], ['76.08.6428-5'], ['123456789-0'], ['0-0'], ['76086428-X'], [''], [76086428], [null]])(
    'refuses the format of %p',
    (input) => {
      expect(parseRut(input)).toEqual({ ok: false, reason: 'formato' });
    },
  );

  it('formats with thousands dots for messages', () => {
    expect(formatRut(76086428, '5')).toBe('76.086.428-5');
    expect(formatRut(4000003, '8')).toBe('4.000.003-8');
  });
});
