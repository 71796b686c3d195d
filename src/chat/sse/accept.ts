/**
 * True when the Accept header asks for text/event-stream and nothing else. Odoo's wizard sends
 * `stream: true` yet reads JSON (python-requests sends `Accept: *\/*`), so only an explicit,
 * exclusive event-stream request gets SSE from POST /api/chat.
 */
export function acceptsOnlyEventStream(accept: string | string[] | undefined): boolean {
  const value = Array.isArray(accept) ? accept.join(',') : accept;
  if (!value) return false;
  const types = value
    .split(',')
    .map((part) => part.split(';')[0].trim().toLowerCase())
    .filter(Boolean);
  return types.length > 0 && types.every((t) => t === 'text/event-stream');
}
