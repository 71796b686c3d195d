import sjson from 'secure-json-parse';

/** Deeper than any real Odoo payload (a record's many2one is depth 4), far below stack limits. */
export const MAX_JSON_DEPTH = 64;
/**
 * Objects and arrays in one body. Odoo's largest (the chat wizard's open record, ~160 fields, or a
 * validation with 100 history entries) holds a few hundred; parsing and then collecting 200,000
 * of them held the event loop for tens of milliseconds on its own.
 */
export const MAX_JSON_CONTAINERS = 20_000;

export class BodyParseError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly code:
      'FST_ERR_CTP_INVALID_JSON_BODY' | 'JSON_TOO_DEEP' | 'JSON_TOO_MANY_CONTAINERS' | 'JSON_FORBIDDEN_KEY',
    message: string,
  ) {
    super(message);
  }
}

/**
 * What is wrong with the shape of a JSON text before it is parsed: nesting deeper than `maxDepth`,
 * or more than `maxContainers` objects and arrays. One pass over the characters (strings skipped),
 * so a megabyte costs a few milliseconds and nothing is built.
 */
export function jsonShapeProblem(
  text: string,
  limits: { maxDepth: number; maxContainers: number } = {
    maxDepth: MAX_JSON_DEPTH,
    maxContainers: MAX_JSON_CONTAINERS,
  },
): 'JSON_TOO_DEEP' | 'JSON_TOO_MANY_CONTAINERS' | null {
  let depth = 0;
  let containers = 0;
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
      if (++depth > limits.maxDepth) return 'JSON_TOO_DEEP';
      if (++containers > limits.maxContainers) return 'JSON_TOO_MANY_CONTAINERS';
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return null;
}

/**
 * The service's JSON body parser. An empty body reads as "no body" (Odoo's DELETE sends
 * `Content-Type: application/json` with nothing after it). Nesting beyond MAX_JSON_DEPTH and more
 * than MAX_JSON_CONTAINERS objects/arrays are refused with a 400 before the text is parsed;
 * prototype-poisoning keys while it is parsed.
 */
export function parseJsonBody(body: Buffer | string): unknown {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') return undefined;
  const shape = jsonShapeProblem(text);
  if (shape === 'JSON_TOO_DEEP') throw new BodyParseError(shape, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (shape) throw new BodyParseError(shape, `JSON holds more than ${MAX_JSON_CONTAINERS} objects and arrays`);
  let value: unknown;
  try {
    value = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (e) {
    const poisoned = /prototype|__proto__/i.test((e as Error).message);
    throw poisoned
      ? new BodyParseError('JSON_FORBIDDEN_KEY', 'Object contains forbidden prototype property')
      : new BodyParseError('FST_ERR_CTP_INVALID_JSON_BODY', `Body is not valid JSON: ${(e as Error).message}`);
  }
  return value;
}
