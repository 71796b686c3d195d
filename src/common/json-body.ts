import sjson from 'secure-json-parse';

/** Deeper than any real Odoo payload (a record's many2one is depth 4), far below stack limits. */
export const MAX_JSON_DEPTH = 64;

export class BodyParseError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly code: 'FST_ERR_CTP_INVALID_JSON_BODY' | 'JSON_TOO_DEEP' | 'JSON_FORBIDDEN_KEY',
    message: string,
  ) {
    super(message);
  }
}

/**
 * True when the JSON text nests objects/arrays deeper than `max`. One pass over the characters
 * (strings skipped), so a megabyte costs a few milliseconds and no object is walked.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string: up to the next quote that is not escaped.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/**
 * The service's JSON body parser. An empty body reads as "no body" (Odoo's DELETE sends
 * `Content-Type: application/json` with nothing after it); prototype-poisoning keys and nesting
 * beyond MAX_JSON_DEPTH are refused with a 400 before any code walks the value recursively.
 */
export function parseJsonBody(body: Buffer | string): unknown {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (e) {
    const poisoned = /prototype|__proto__/i.test((e as Error).message);
    throw poisoned
      ? new BodyParseError('JSON_FORBIDDEN_KEY', 'Object contains forbidden prototype property')
      : new BodyParseError('FST_ERR_CTP_INVALID_JSON_BODY', `Body is not valid JSON: ${(e as Error).message}`);
  }
  if (nestsDeeperThan(text, MAX_JSON_DEPTH))
    throw new BodyParseError('JSON_TOO_DEEP', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  return value;
}
