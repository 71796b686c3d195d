import { BodyParseError, MAX_JSON_DEPTH, nestsDeeperThan, parseJsonBody } from './json-body';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('parseJsonBody', () => {
  it.each([
    ['', undefined],
    ['   \n', undefined],
    ['{"a":1}', { a: 1 }],
    ['[1,2]', [1, 2]],
    ['"x"', 'x'],
    ['{"constructor": -1}', { constructor: -1 }],
  ])('parses %j', (text, expected) => {
    expect(parseJsonBody(Buffer.from(text))).toEqual(expected);
  });

  it.each([
    ['{"a":', 'FST_ERR_CTP_INVALID_JSON_BODY'],
    ['{a:1}', 'FST_ERR_CTP_INVALID_JSON_BODY'],
    ['{"__proto__": {"admin": true}}', 'JSON_FORBIDDEN_KEY'],
    ['{"a": {"constructor": {"prototype": {"x": 1}}}}', 'JSON_FORBIDDEN_KEY'],
    [nested(MAX_JSON_DEPTH + 1), 'JSON_TOO_DEEP'],
    [nested(200_000), 'JSON_TOO_DEEP'],
  ])('refuses %s with a 400 code', (text, code) => {
    let error: unknown;
    try {
      parseJsonBody(text.slice(0, 1_000_000));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BodyParseError);
    expect((error as BodyParseError).code).toBe(code);
    expect((error as BodyParseError).statusCode).toBe(400);
  });

  it('accepts nesting up to the limit', () => {
    expect(() => parseJsonBody(nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(nestsDeeperThan('{"a":{"b":[{"c":1}]}}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":{"b":[{"c":{}}]}}', 4)).toBe(true);
    // Brackets inside strings, escaped quotes included, do not count.
    expect(nestsDeeperThan('{"a":"[[[[[\\"{{{{"}', 1)).toBe(false);
    expect(nestsDeeperThan('["\\\\",[[]]]', 2)).toBe(true);
  });
});
