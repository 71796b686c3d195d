/**
 * Single values as Odoo sends them, read before any rule looks at them. Odoo writes an empty field
 * as `false`, so null/false/"" read as absent.
 *
 * Amounts: integers in pesos, often as floats with no fraction (119000.0) or as numeric strings
 * ("119000"). A string like "119.000" is refused: in Chile the dot groups thousands, so it is
 * ambiguous. Export documents in a foreign currency (`moneda`/`tipo_moneda` other than pesos) may
 * carry up to 4 decimals, as the SII schema allows for those totals.
 *
 * Dates: "YYYY-MM-DD", ISO 8601 ("2026-03-10T14:05:00-03:00", "…Z") or Odoo's datetime string
 * ("2026-03-10 14:05:00"). The emission date is the date as written (the issuer's local date); the
 * time and offset, when present, are not used to shift it.
 */
export type AmountParse = { kind: 'absent' } | { kind: 'ok'; value: number } | { kind: 'invalid'; reason: string };

const NUMERIC = /^[+-]?\d+(\.\d+)?$/;
const THOUSANDS = /^\d{1,3}(\.\d{3})+$/;
const MAX_DECIMALS = 4;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === false || (typeof value === 'string' && value.trim() === '');
}

export function parseAmount(value: unknown, opts: { decimals?: boolean } = {}): AmountParse {
  if (isAbsent(value)) return { kind: 'absent' };
  let n: number;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (THOUSANDS.test(text))
      return {
        kind: 'invalid',
        reason: 'usa punto como separador de miles; envíelo como número entero (p. ej. 119000)',
      };
    if (!NUMERIC.test(text)) return { kind: 'invalid', reason: 'no es un número' };
    n = Number(text);
  } else {
    return { kind: 'invalid', reason: 'no es un número' };
  }
  if (!Number.isFinite(n)) return { kind: 'invalid', reason: 'no es un número' };
  if (n < 0) return { kind: 'invalid', reason: 'no puede ser negativo' };
  if (n > Number.MAX_SAFE_INTEGER) return { kind: 'invalid', reason: 'es demasiado grande' };
  if (opts.decimals) {
    if (Math.abs(n * 10 ** MAX_DECIMALS - Math.round(n * 10 ** MAX_DECIMALS)) > 1e-6)
      return { kind: 'invalid', reason: `admite como máximo ${MAX_DECIMALS} decimales` };
  } else if (!Number.isInteger(n)) {
    return { kind: 'invalid', reason: 'debe ser un monto entero en pesos, sin decimales' };
  }
  return { kind: 'ok', value: n };
}

/** A positive integer given as number or digit string (tipo_dte, folio, codigo_ref). */
export function parsePositiveInt(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d+(\.0+)?\s*$/.test(value)) n = Number(value);
  else return null;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** 1190000 → "1.190.000", for messages. */
export function pesos(n: number): string {
  const [int, frac] = String(n).split('.');
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, '.') + (frac ? `,${frac}` : '');
}

/** The calendar date "YYYY-MM-DD", or null when the value is not a real date in one of those forms. */
export function parseIsoDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = DATE_PATTERN.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}
