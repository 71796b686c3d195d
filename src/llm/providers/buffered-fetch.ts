import { Agent, request } from 'undici';

/**
 * A fully read HTTP response, as the SDKs consume a non-streaming one: status, headers, `text()`
 * and `json()`. It is a real `Response` (so `instanceof Response` holds), without a body stream.
 */
export class BufferedResponse extends Response {
  override readonly text = async (): Promise<string> => this.payload;
  override readonly json = async (): Promise<unknown> => JSON.parse(this.payload) as unknown;
  override readonly arrayBuffer = async (): Promise<ArrayBuffer> => {
    const bytes = Buffer.from(this.payload, 'utf8');
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  };

  constructor(
    private readonly payload: string,
    init: ResponseInit,
  ) {
    super(null, init);
  }
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) headers.forEach((value, name) => (out[name] = value));
  else if (Array.isArray(headers)) for (const [name, value] of headers) out[name.toLowerCase()] = value;
  else
    for (const [name, value] of Object.entries(headers))
      out[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
  return out;
}

/**
 * A `fetch` for the official SDKs' non-streaming calls, over undici's `request` on one keep-alive
 * connection pool: it skips the WHATWG Request/Response/stream machinery of the global fetch,
 * which cost about half of the CPU of an LLM call in the chat turn's profile. It reads the whole
 * body before resolving, so it is for complete answers only; streams keep the global fetch.
 * Errors behave as fetch's do for the SDK: an aborted signal rejects with an AbortError, a
 * connection failure rejects (the SDK turns both into its own error types). The pool keeps
 * undici's defaults (as the global fetch does): idle sockets closed after 4 s unless the server's
 * Keep-Alive header says otherwise, so a socket the provider has already closed is not reused.
 */
export function bufferedFetch(agent = new Agent()) {
  const fetchImpl = async (url: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (typeof url !== 'string' && !(url instanceof URL))
      throw new TypeError('bufferedFetch takes a URL, not a Request');
    if (init.body != null && typeof init.body !== 'string' && !(init.body instanceof Uint8Array)) {
      throw new TypeError('bufferedFetch sends string or byte bodies only');
    }
    const res = await request(url, {
      method: (init.method ?? 'GET') as 'GET',
      headers: plainHeaders(init.headers),
      body: init.body ?? undefined,
      signal: init.signal ?? undefined,
      dispatcher: agent,
    });
    const payload = await res.body.text();
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else headers.set(name, value);
    }
    return new BufferedResponse(payload, { status: res.statusCode, headers });
  };
  return Object.assign(fetchImpl, { close: () => agent.close() });
}
