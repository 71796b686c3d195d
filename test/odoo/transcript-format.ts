import type { Exchange } from './odoo-http';
import { PyFloat } from './python-wire';

/** Long values trimmed so a transcript stays readable; the trimmed amount is said. */
const MAX_STRING = 280;
const MAX_ITEMS = 5;
const MAX_KEYS = 24;

export function trim(value: unknown): unknown {
  if (value instanceof PyFloat) return value;
  if (typeof value === 'string')
    return value.length > MAX_STRING
      ? `${value.slice(0, MAX_STRING)}… [+${value.length - MAX_STRING} caracteres]`
      : value;
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map(trim);
    return value.length > MAX_ITEMS ? [...items, `… [+${value.length - MAX_ITEMS} elementos]`] : items;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const kept = Object.fromEntries(entries.slice(0, MAX_KEYS).map(([k, v]) => [k, trim(v)]));
    if (entries.length > MAX_KEYS) kept['…'] = `[+${entries.length - MAX_KEYS} campos más]`;
    return kept;
  }
  return value;
}

/** Pretty JSON that keeps Python floats as Python writes them (119000.0). */
export function prettyJson(value: unknown, indent = ''): string {
  const next = indent + '  ';
  if (value instanceof PyFloat) return Number.isInteger(value.value) ? `${value.value}.0` : String(value.value);
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[\n${value.map((v) => next + prettyJson(v, next)).join(',\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.length) return '{}';
    return `{\n${entries.map(([k, v]) => `${next}${JSON.stringify(k)}: ${prettyJson(v, next)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

const maskKey = (auth: string) =>
  auth.replace(/Bearer (\S{4})\S*/, (_m, head: string) => `Bearer ${head}…(clave de ${auth.length - 7} caracteres)`);

/** One exchange as Markdown: request line, the headers that matter, bodies pretty and trimmed. */
export function exchangeMarkdown(e: Exchange): string {
  const path = e.url.replace(/^https?:\/\/[^/]+/, '');
  const reqHeaders = Object.entries(e.requestHeaders)
    .filter(([k]) => ['content-type', 'authorization', 'user-agent'].includes(k.toLowerCase()))
    .map(([k, v]) => `${k}: ${k.toLowerCase() === 'authorization' ? maskKey(v) : v}`);
  const resHeaders = ['content-type', 'retry-after']
    .filter((k) => e.responseHeaders[k])
    .map((k) => `${k}: ${e.responseHeaders[k]}`);
  let responseBody: string;
  try {
    responseBody = prettyJson(trim(JSON.parse(e.responseText)));
  } catch {
    responseBody = e.responseText.slice(0, 400);
  }
  const parts = ['```http', `${e.method} ${path}`, ...reqHeaders];
  if (e.requestJson !== undefined) parts.push('', prettyJson(trim(e.requestJson)));
  parts.push(
    '```',
    '',
    `Respuesta (${e.elapsedMs} ms):`,
    '',
    '```http',
    `HTTP/1.1 ${e.status}`,
    ...resHeaders,
    '',
    responseBody,
    '```',
  );
  return parts.join('\n');
}
