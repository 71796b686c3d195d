import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so key order in Odoo's payload does not matter. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * `cache:validation:<sha256>` over everything the verdict depends on: the rules' version, the
 * company, the normalised DTE, the history and today's date in Chile (the date rules depend on
 * it, so an entry never outlives the day it was computed for).
 */
export function validationCacheKey(parts: {
  rulesVersion: string;
  companyId: number | null;
  dte: unknown;
  history: unknown[];
  today: string;
}): string {
  const digest = createHash('sha256').update(canonicalJson(parts)).digest('hex');
  return `cache:validation:${digest}`;
}
