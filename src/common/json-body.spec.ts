import { BodyParseError, jsonShapeProblem, MAX_JSON_CONTAINERS, MAX_JSON_DEPTH, parseJsonBody } from './json-body';

const shallow = { maxDepth: 4, maxContainers: 100 };

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
    [`[${'{},'.repeat(MAX_JSON_CONTAINERS)}{}]`, 'JSON_TOO_MANY_CONTAINERS'],
    // Refused by its shape before parsing, even though it is not valid JSON at all.
    [`[${'[],'.repeat(MAX_JSON_CONTAINERS)}`, 'JSON_TOO_MANY_CONTAINERS'],
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
    expect(parseJsonBody(`[${'{},'.repeat(MAX_JSON_CONTAINERS - 2)}{}]`)).toHaveLength(MAX_JSON_CONTAINERS - 1);
    expect(jsonShapeProblem('{"a":{"b":[{"c":1}]}}', shallow)).toBeNull();
    expect(jsonShapeProblem('{"a":{"b":[{"c":{}}]}}', shallow)).toBe('JSON_TOO_DEEP');
    // Brackets inside strings, escaped quotes included, do not count.
    expect(jsonShapeProblem('{"a":"[[[[[\\"{{{{"}', { ...shallow, maxDepth: 1 })).toBeNull();
    expect(jsonShapeProblem('["\\\\",[[]]]', { ...shallow, maxDepth: 2 })).toBe('JSON_TOO_DEEP');
    expect(jsonShapeProblem('[{},{},[]]', { maxDepth: 4, maxContainers: 3 })).toBe('JSON_TOO_MANY_CONTAINERS');
    expect(jsonShapeProblem('[{},"{}{}{}",[]]', { maxDepth: 4, maxContainers: 3 })).toBeNull();
  });
});
