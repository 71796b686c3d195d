import { decodeHtml } from './parsing/decode-html';
import { FetchedPage, PageFetchError, SiiFetcher } from './sii-fetcher.port';

export interface HttpFetcherOptions {
  timeoutMs: number;
  maxBytes: number;
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'el servidor rechazó la conexión',
  ENOTFOUND: 'no se encontró el servidor',
  EAI_AGAIN: 'no se pudo resolver el nombre del servidor',
  ECONNRESET: 'la conexión se cortó',
  EHOSTUNREACH: 'el servidor no es alcanzable',
  ETIMEDOUT: 'la conexión expiró',
  UND_ERR_SOCKET: 'la conexión se cortó',
};

/**
 * Reads a page with the global fetch: one time limit for the whole exchange (connect, headers
 * and body), a size limit enforced while reading, redirects followed, charset decoded.
 */
export class HttpSiiFetcher implements SiiFetcher {
  constructor(private readonly opts: HttpFetcherOptions = { timeoutMs: 15_000, maxBytes: 3 * 1024 * 1024 }) {}

  async fetchPage(url: string): Promise<FetchedPage> {
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        signal,
        redirect: 'follow',
        headers: {
          'user-agent': 'DTE-AI-Service/1.0 (monitor de noticias SII)',
          accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
          'accept-language': 'es-CL,es;q=0.9',
        },
      });
    } catch (e) {
      throw this.networkError(e);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new PageFetchError(`El sitio respondió HTTP ${res.status}.`, `HTTP_${res.status}`);
    }
    const bytes = await this.readLimited(res);
    return { url: res.url || url, html: decodeHtml(bytes, res.headers.get('content-type')) };
  }

  private async readLimited(res: Response): Promise<Uint8Array> {
    const tooBig = () =>
      new PageFetchError(`La página supera el máximo de ${Math.round(this.opts.maxBytes / 1024)} KiB.`, 'TOO_LARGE');
    if (Number(res.headers.get('content-length') ?? 0) > this.opts.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw tooBig();
    }
    if (!res.body) return new Uint8Array();
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > this.opts.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw tooBig();
        }
        chunks.push(value);
      }
    } catch (e) {
      throw e instanceof PageFetchError ? e : this.networkError(e);
    }
    return Buffer.concat(chunks);
  }

  private networkError(e: unknown): PageFetchError {
    const err = e as Error & { cause?: { code?: string } };
    if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
      return new PageFetchError(`El sitio no respondió dentro de ${this.opts.timeoutMs} ms.`, 'TIMEOUT');
    }
    const code = err?.cause?.code;
    if (code && NETWORK_ERRORS[code])
      return new PageFetchError(`No se pudo leer la página: ${NETWORK_ERRORS[code]} (${code}).`, code);
    return new PageFetchError(
      `No se pudo leer la página: ${code ?? err?.message ?? 'error de red'}.`,
      code ?? 'NETWORK',
    );
  }
}
