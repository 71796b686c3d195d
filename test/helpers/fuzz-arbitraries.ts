import fc from 'fast-check';

/**
 * Generators of hostile input for the fuzz suite. Everything here is data a careless, buggy or
 * malicious client could send to the service; none of it should ever produce a 5xx.
 */

/** Strings known to break naive code: RTL/zero-width/BOM, NUL, lone surrogates, CR/LF, injection-looking text. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  'a\u0000b',
  '\uFEFF',
  '\u200B\u200D',
  '\u202Eabc\u202C',
  'مرحبا بالعالم',
  'שלום',
  '😀👩‍👩‍👧‍👦🇨🇱',
  '\uD800',
  '\uDFFF',
  'a\uD83Db',
  '\uFFFF',
  'Z̵̡̢͇͓̙a̸l̷g̵o̶',
  'ｆｕｌｌｗｉｄｔｈ',
  'ÿ\u0085\u00A0',
  '\r\nSET pwned 1\r\n',
  '*',
  '?',
  '[a-z]*',
  'chat:session:*',
  'KEYS *',
  '../../etc/passwd',
  '..\\..\\windows',
  '%2e%2e%2f',
  '%00',
  "' OR '1'='1' --",
  '1; DROP TABLE sessions;',
  '"; FLUSHALL; "',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  'null',
  'true',
  'undefined',
  '[object Object]',
  'true',
  '9007199254740993',
  '-1',
  '0',
];

/** Object keys that attack prototypes or shadow built-ins. */
export const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'then',
  'length',
  '',
];

/** Short hostile strings: any UTF-16 (lone surrogates included), graphemes (emoji, RTL scripts), the nasty list. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 4 },
  { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
);

/** Long strings, up to `max` characters (multi-byte units make the byte size larger). */
export const longString = (min: number, max: number) =>
  fc
    .tuple(fc.constantFrom('a', 'ñ', '😀', '\u202E', '\u0000', ' ', 'x\n', '\uD800'), fc.integer({ min, max }))
    .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_KEYS), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      'session_id',
      'message',
      'user_context',
      'context',
      'dte_data',
      'company_id',
      'history',
      'stream',
      'urls',
      'module',
    ),
    weight: 1,
  },
);

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.constantFrom(0, -1, 1.5, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 63)),
  fc.double(), // NaN and ±Infinity become null in JSON
  fc.boolean(),
  fc.constant(null),
);

/** Any JSON value built from hostile pieces, a few levels deep, with prototype-pollution keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/**
 * A JSON text nested `depth` levels deep (arrays, objects or a mix), placed where `wrap` says;
 * built as text because a JS value that deep would overflow JSON.stringify itself.
 */
export const deepJson = (minDepth: number, maxDepth: number) =>
  fc
    .record({ depth: fc.integer({ min: minDepth, max: maxDepth }), shape: fc.constantFrom('array', 'object', 'mixed') })
    .map(({ depth, shape }) => {
      if (shape === 'array') return '['.repeat(depth) + ']'.repeat(depth);
      if (shape === 'object') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      return '{"a":['.repeat(depth) + '1' + ']}'.repeat(depth);
    });

/** Bodies that are not valid JSON (or not what the content type says). */
export const brokenJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '{"message":',
    '{"message": "Hola"',
    '{"message": "Hola",}',
    "{'message': 'Hola'}",
    '{message: "Hola"}',
    '{"message": NaN}',
    '{"message": undefined}',
    '[1,2',
    '"just a string"',
    '42',
    'null',
    'true',
    '[]',
    '{"a":1}{"b":2}',
    '\uFEFF{"message":"Hola"}',
    '{"message":"\\ud800"}',
    '{"message":"\\u0000"}',
    '{"message":"\\x41"}',
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"user_context":{"__proto__":{"isAdmin":true}},"message":"Hola"}',
    '{"message":"Hola","message":"dup"}',
    ' ',
    '\n\n',
    '{"message":"Hola"}garbage',
    '<xml/>',
    'message=Hola&session_id=x',
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.json().map((j) => j.slice(0, Math.max(1, Math.floor(j.length / 2)))), // truncated JSON
);

/** Session ids as attackers and buggy clients send them (decoded form). */
export const hostileSessionId: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_STRINGS.filter((s) => s !== '')), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '../x',
      'a/b',
      'a:b',
      'chat:session:x:history',
      'a b',
      'a\tb',
      'a\r\nb',
      'ok_id*',
      'ok?id',
      'ok[1]',
      'x'.repeat(129),
      'ñandú',
      'ＡＢＣ',
      '😀',
      'a.b',
      'a@b',
      'a%b',
      'a+b',
      'a#b',
    ),
    weight: 3,
  },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), weight: 2 },
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{129,200}$/), weight: 1 },
);

/** Well-formed session ids (caller-named or UUID): accepted by the pattern. */
export const validSessionId: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/),
  fc.uuid(),
  fc.constant('chat_2_a1b2c3d4'),
);

/** Percent-encodes every byte of the UTF-8 form (lone surrogates become U+FFFD), as a path segment. */
export const encodeSegment = (s: string) =>
  [...Buffer.from(s, 'utf8')].map((b) => '%' + b.toString(16).padStart(2, '0').toUpperCase()).join('');
