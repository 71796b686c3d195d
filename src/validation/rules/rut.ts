/**
 * Chilean RUT: body (1–8 digits, optionally grouped with dots) + check digit (0–9 or K), with or
 * without the dash. The check digit is modulo 11 over the body's digits from the right, weighted
 * 2,3,4,5,6,7,2,3…; 11 − (sum mod 11) gives the digit, where 11 → 0 and 10 → K.
 */
export type RutParse =
  | { ok: true; body: number; dv: string; normalized: string }
  | { ok: false; reason: 'formato' }
  | { ok: false; reason: 'dv'; body: number; dv: string; expectedDv: string };

const RUT_PATTERN = /^(\d{1,3}(?:\.\d{3}){1,2}|\d{1,8})-?([\dK])$/;

/** Generic receptor RUTs the SII defines: final consumer (boletas) and foreign buyer (exports). */
export const RUT_CONSUMIDOR_FINAL = '66666666-6';
export const RUT_EXTRANJERO = '55555555-5';

export function rutCheckDigit(body: number): string {
  let sum = 0;
  let weight = 2;
  for (let n = body; n > 0; n = Math.floor(n / 10)) {
    sum += (n % 10) * weight;
    weight = weight === 7 ? 2 : weight + 1;
  }
  const r = 11 - (sum % 11);
  return r === 11 ? '0' : r === 10 ? 'K' : String(r);
}

export function parseRut(value: unknown): RutParse {
  if (typeof value !== 'string') return { ok: false, reason: 'formato' };
  const match = RUT_PATTERN.exec(value.trim().toUpperCase());
  if (!match) return { ok: false, reason: 'formato' };
  const body = Number(match[1].replace(/\./g, ''));
  const dv = match[2];
  if (body < 1) return { ok: false, reason: 'formato' };
  const expectedDv = rutCheckDigit(body);
  if (expectedDv !== dv) return { ok: false, reason: 'dv', body, dv, expectedDv };
  return { ok: true, body, dv, normalized: `${body}-${dv}` };
}

/** 76086428-5 → 76.086.428-5, for messages. */
export function formatRut(body: number, dv: string): string {
  return `${String(body).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}-${dv}`;
}
