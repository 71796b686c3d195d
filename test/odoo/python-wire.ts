/**
 * What Python's `requests` puts on the wire, so the conformance suite sends Odoo's exact bytes:
 * `json=` bodies are `json.dumps(obj)` (ASCII-only with \uXXXX escapes, ", " and ": " separators,
 * floats always with a fraction: 119000.0) and `params=` is `urlencode` (quote_plus: spaces as "+").
 */

/** A Python float. JavaScript cannot tell 119000 from 119000.0; Odoo's monetary fields are floats. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Shorthand for a Python float in payload builders: `f(119000)` is sent as `119000.0`. */
export const f = (value: number) => new PyFloat(value);

/** Python's repr of a float: 119000.0, 17.5, 0.0 (1e16 and up switch to exponent form, as Python does). */
function floatRepr(n: number): string {
  if (!Number.isFinite(n)) throw new Error('ValueError: Out of range float values are not JSON compliant');
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${n}.0`;
  return String(n);
}

/** json.dumps with ensure_ascii=True: every non-ASCII character as \uXXXX (surrogate pairs kept). */
function pyString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) {
      for (let i = 0; i < ch.length; i++) out += '\\u' + ch.charCodeAt(i).toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

/** `json.dumps(value)` exactly as requests sends a `json=` body. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PyFloat) return floatRepr(value.value);
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return floatRepr(value);
    return String(value);
  }
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${pyString(k)}: ${pythonJsonDumps(v)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  throw new Error(`TypeError: Object of type ${typeof value} is not JSON serializable`);
}

/** urllib.parse.quote_plus: only letters, digits and `_.-~` stay; space becomes "+". */
function quotePlus(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'))
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9_.\-~]/.test(c)) return c;
      if (c === ' ') return '+';
      return '%' + b.toString(16).toUpperCase().padStart(2, '0');
    })
    .join('');
}

/** requests' `params={...}` → the query string (str() of each value, Python style). */
export function pythonUrlencode(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([k, v]) => `${quotePlus(k)}=${quotePlus(String(v))}`)
    .join('&');
}
