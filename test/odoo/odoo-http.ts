import { pythonJsonDumps, pythonUrlencode } from './python-wire';

/**
 * A small model of Python `requests` as the addon uses it: `requests.get/post/delete(url, json=…,
 * params=…, headers=…, timeout=seconds)`, `response.status_code`, `response.json()`,
 * `response.raise_for_status()`, and the exceptions the addon catches. Every exchange can be
 * recorded (the transcripts for the issue are made from these records).
 */

export class RequestException extends Error {}
export class RequestsTimeout extends RequestException {}
export class RequestsConnectionError extends RequestException {}
export class HTTPError extends RequestException {}
/** `response.json()` on a body that is not JSON (requests ≥ 2.27: both a RequestException and a ValueError). */
class JSONDecodeError extends RequestException {}

export interface PyResponse {
  status_code: number;
  reason: string;
  url: string;
  text: string;
  headers: Headers;
  json(): any;
  raise_for_status(): void;
}

/** One request and its answer, as sent and received on the wire. */
export interface Exchange {
  client: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  /** The object given as `json=` (with its PyFloat markers), for pretty transcripts. */
  requestJson?: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseText: string;
  elapsedMs: number;
}

export type ExchangeRecorder = (exchange: Exchange) => void;

/** Headers requests adds by itself (python-requests 2.31). */
const REQUESTS_DEFAULT_HEADERS = {
  'User-Agent': 'python-requests/2.31.0',
  'Accept-Encoding': 'gzip, deflate',
  Accept: '*/*',
};

export interface PyRequestOptions {
  params?: Record<string, string | number>;
  json?: unknown;
  headers?: Record<string, string>;
  /** Seconds, as the addon passes it. */
  timeout: number;
}

export async function pyRequest(
  client: string,
  method: string,
  url: string,
  opts: PyRequestOptions,
  record?: ExchangeRecorder,
): Promise<PyResponse> {
  const fullUrl = opts.params ? `${url}?${pythonUrlencode(opts.params)}` : url;
  const headers: Record<string, string> = { ...REQUESTS_DEFAULT_HEADERS, ...(opts.headers ?? {}) };
  let body: string | undefined;
  if (opts.json !== undefined) {
    body = pythonJsonDumps(opts.json);
    // requests sets it for json= unless the caller already did.
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['Content-Type'] = 'application/json';
  }
  const started = performance.now();
  let res: Response;
  let text: string;
  try {
    res = await fetch(fullUrl, { method, headers, body, signal: AbortSignal.timeout(opts.timeout * 1000) });
    text = await res.text();
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    if (err.name === 'TimeoutError')
      throw new RequestsTimeout(`HTTPConnectionPool: Read timed out. (read timeout=${opts.timeout})`);
    throw new RequestsConnectionError(
      `HTTPConnectionPool: Max retries exceeded with url: ${fullUrl} (${err.cause?.code ?? err.message})`,
    );
  }
  record?.({
    client,
    method,
    url: fullUrl,
    requestHeaders: headers,
    requestBody: body,
    requestJson: opts.json,
    status: res.status,
    responseHeaders: Object.fromEntries(res.headers.entries()),
    responseText: text,
    elapsedMs: Math.round(performance.now() - started),
  });
  const response: PyResponse = {
    status_code: res.status,
    reason: res.statusText,
    url: fullUrl,
    text,
    headers: res.headers,
    json() {
      try {
        return JSON.parse(text);
      } catch {
        throw new JSONDecodeError('Expecting value: line 1 column 1 (char 0)');
      }
    },
    raise_for_status() {
      const kind = res.status >= 500 ? 'Server Error' : res.status >= 400 ? 'Client Error' : undefined;
      if (kind) throw new HTTPError(`${res.status} ${kind}: ${res.statusText} for url: ${fullUrl}`);
    },
  };
  return response;
}

/** Python's `dict.get(key, default)`: a missing key reads as the default (None → null). */
export function pyGet<T = any>(obj: unknown, key: string, fallback: T | null = null): T | null {
  if (obj && typeof obj === 'object' && !Array.isArray(obj) && key in obj) return (obj as Record<string, T>)[key];
  return fallback;
}
