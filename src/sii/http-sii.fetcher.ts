import { isIP, type LookupFunction } from 'node:net';
import { Agent, fetch, type Response } from 'undici';
import { guardedLookup, hostOf, isPublicAddress, refusedAddress } from './address-policy';
import { decodeHtml } from './parsing/decode-html';
import { FetchedPage, PageFetchError, SiiFetcher } from './sii-fetcher.port';
import { isAllowedSiiUrl } from './sii-url-policy';

export interface HttpFetcherOptions {
  timeoutMs: number;
  maxBytes: number;
  /** SII_NEWS_URLS: their hosts are allowed besides sii.cl, on the first URL and on every redirect. */
  allowedUrls?: readonly string[];
  /** SII_ALLOWED_PRIVATE_HOSTS: hosts that may resolve to a private or loopback address. */
  privateHosts?: readonly string[];
  /** DNS resolution (tests resolve names to their local sites). */
  lookup?: LookupFunction;
}

/** Redirects followed at most, each one checked like the first URL. */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

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
 * Reads a page with undici: one time limit for the whole exchange (connect, headers, redirects and
 * body), a size limit enforced while reading, charset decoded. Against SSRF, every hop is checked:
 * a redirect is followed only to sii.cl or a host of SII_NEWS_URLS, and no connection is made to a
 * private, loopback, link-local or unspecified address (checked after DNS resolution, on the
 * address the socket uses) unless that host is listed in SII_ALLOWED_PRIVATE_HOSTS.
 */
export class HttpSiiFetcher implements SiiFetcher {
  private readonly allowedUrls: readonly string[];
  private readonly privateHosts: ReadonlySet<string>;
  private readonly agent: Agent;

  constructor(private readonly opts: HttpFetcherOptions = { timeoutMs: 15_000, maxBytes: 3 * 1024 * 1024 }) {
    this.allowedUrls = opts.allowedUrls ?? [];
    this.privateHosts = new Set((opts.privateHosts ?? []).map((h) => h.toLowerCase()));
    this.agent = new Agent({ connect: { lookup: guardedLookup(this.privateHosts, opts.lookup) } });
  }

  async fetchPage(url: string): Promise<FetchedPage> {
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    let current: URL;
    try {
      current = new URL(url);
    } catch {
      throw new PageFetchError('La dirección de la página no es una URL válida.', 'INVALID_URL');
    }
    for (let hop = 0; ; hop++) {
      this.assertReachable(current);
      const res = await this.request(current, signal);
      if (!REDIRECT_STATUSES.has(res.status)) {
        if (!res.ok) {
          await res.body?.cancel().catch(() => undefined);
          throw new PageFetchError(`El sitio respondió HTTP ${res.status}.`, `HTTP_${res.status}`);
        }
        const bytes = await this.readLimited(res);
        return { url: current.href, html: decodeHtml(bytes, res.headers.get('content-type')) };
      }
      await res.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS)
        throw new PageFetchError(`El sitio redirige más de ${MAX_REDIRECTS} veces.`, 'TOO_MANY_REDIRECTS');
      const location = res.headers.get('location');
      if (!location)
        throw new PageFetchError(`El sitio respondió HTTP ${res.status} sin destino.`, `HTTP_${res.status}`);
      current = new URL(location, current);
      if (!/^https?:$/.test(current.protocol) || !isAllowedSiiUrl(current.href, this.allowedUrls))
        throw new PageFetchError(
          `El sitio redirige a ${hostOf(current).slice(0, 100)}, fuera de los sitios permitidos (sii.cl o los de SII_NEWS_URLS).`,
          'REDIRECT_REFUSED',
        );
    }
  }

  /** An address given literally is checked here; a name is checked by the guarded lookup when resolved. */
  private assertReachable(url: URL) {
    const host = hostOf(url);
    if (isIP(host) && !isPublicAddress(host) && !this.privateHosts.has(host)) throw refusedAddress(host, host);
  }

  private async request(url: URL, signal: AbortSignal): Promise<Response> {
    try {
      return await fetch(url, {
        signal,
        redirect: 'manual',
        dispatcher: this.agent,
        headers: {
          'user-agent': 'DTE-AI-Service/1.0 (monitor de noticias SII)',
          accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
          'accept-language': 'es-CL,es;q=0.9',
        },
      });
    } catch (e) {
      throw this.networkError(e);
    }
  }

  private async readLimited(res: Response): Promise<Uint8Array> {
    const tooBig = () =>
      new PageFetchError(`La página supera el máximo de ${Math.round(this.opts.maxBytes / 1024)} KiB.`, 'TOO_LARGE');
    if (Number(res.headers.get('content-length') ?? 0) > this.opts.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw tooBig();
    }
    if (!res.body) return new Uint8Array();
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
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
    if (err?.cause instanceof PageFetchError) return err.cause;
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
