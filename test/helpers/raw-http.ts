import net from 'node:net';

export interface RawResponse {
  /** 0 when the server closed the connection without an HTTP answer. */
  status: number;
  headers: Record<string, string[]>;
  body: string;
  /** Socket error code when there was no answer (ECONNRESET…). */
  error?: string;
}

/**
 * HTTP/1.1 over a bare socket, for what fetch and node:http refuse to send: duplicated or broken
 * headers, CR/LF in paths, lying Content-Length, arbitrary bytes. `head` is the request line and
 * header lines (joined with CRLF, no trailing blank line); `Connection: close` is the caller's to add.
 */
export function rawRequest(
  port: number,
  head: string,
  body: Buffer | string = '',
  timeoutMs = 10_000,
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks);
      const parsed = parseResponse(raw);
      resolve(parsed ?? { status: 0, headers: {}, body: raw.toString('latin1'), error: error ?? 'no_response' });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('connect', () => {
      socket.write(
        Buffer.concat([
          Buffer.from(head + '\r\n\r\n', 'latin1'),
          Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
        ]),
      );
    });
    socket.on('data', (c) => {
      chunks.push(c);
      // A complete answer is enough: the server may keep the socket open.
      const parsed = parseResponse(Buffer.concat(chunks), true);
      if (parsed) finish();
    });
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
  });
}

/** Parses one HTTP response; with `completeOnly`, null until its body is complete. */
function parseResponse(raw: Buffer, completeOnly = false): RawResponse | null {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return null;
  const lines = raw.subarray(0, split).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!m) return null;
  const headers: Record<string, string[]> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) (headers[l.slice(0, i).trim().toLowerCase()] ??= []).push(l.slice(i + 1).trim());
  }
  const rest = raw.subarray(split + 4);
  const status = Number(m[1]);
  // Interim answers (100 Continue to `Expect: 100-continue`) precede the real one.
  if (status >= 100 && status < 200 && status !== 101) return parseResponse(rest, completeOnly);
  if (headers['transfer-encoding']?.[0]?.toLowerCase() === 'chunked') {
    const body = dechunk(rest);
    if (body === null) return completeOnly ? null : { status, headers, body: rest.toString('utf8') };
    return { status, headers, body: body.toString('utf8') };
  }
  const length = headers['content-length'] ? Number(headers['content-length'][0]) : undefined;
  if (length !== undefined) {
    if (rest.length < length) return completeOnly ? null : { status, headers, body: rest.toString('utf8') };
    return { status, headers, body: rest.subarray(0, length).toString('utf8') };
  }
  // No length: the body ends with the connection.
  return completeOnly ? null : { status, headers, body: rest.toString('utf8') };
}

/** Decodes a chunked body; null while the final zero-length chunk has not arrived. */
function dechunk(data: Buffer): Buffer | null {
  const out: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', pos);
    if (eol < 0) return null;
    const size = parseInt(data.subarray(pos, eol).toString('latin1'), 16);
    if (Number.isNaN(size)) return null;
    if (size === 0) return Buffer.concat(out);
    if (data.length < eol + 2 + size + 2) return null;
    out.push(data.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
}
