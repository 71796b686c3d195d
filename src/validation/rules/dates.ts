/**
 * Dates as Odoo sends them: "YYYY-MM-DD", ISO 8601 ("2026-03-10T14:05:00-03:00", "…Z") or Odoo's
 * datetime string ("2026-03-10 14:05:00"). The emission date is the date as written (the issuer's
 * local date); the time and offset, when present, are not used to shift it.
 */
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

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
