import { readFileSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

export interface Page {
  body: string | Buffer;
  contentType?: string;
  status?: number;
  delayMs?: number;
  headers?: Record<string, string>;
}

/** The fixtures at the paths sii.cl uses, with the charsets sii.cl serves them in. */
const SII_PAGES: Record<string, { file: string; contentType: string }> = {
  '/noticias/2025/index.htm': { file: 'noticias-2025.html', contentType: 'text/html' },
  '/normativa_legislacion/circulares/2025/indcir2025.htm': {
    file: 'circulares-2025.html',
    contentType: 'text/html; charset=utf-8',
  },
  '/normativa_legislacion/resoluciones/2025/res_ind2025.htm': {
    file: 'resoluciones-2025.html',
    contentType: 'text/html; charset=ISO-8859-1',
  },
  '/factura_electronica/normativa.htm': {
    file: 'factura-electronica-normativa.html',
    contentType: 'text/html; charset=utf-8',
  },
};
export const SII_ITEMS_PER_PAGE: Record<string, number> = {
  '/noticias/2025/index.htm': 4,
  '/normativa_legislacion/circulares/2025/indcir2025.htm': 3,
  '/normativa_legislacion/resoluciones/2025/res_ind2025.htm': 3,
  '/factura_electronica/normativa.htm': 3,
};

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));

/** A local stand-in for www.sii.cl serving the fixture pages; pages can be changed per test. */
export class FakeSiiSite {
  readonly requests: string[] = [];
  private pages = new Map<string, Page>();
  private server!: http.Server;
  private sockets = new Set<Socket>();

  static async start(): Promise<FakeSiiSite> {
    const site = new FakeSiiSite();
    site.reset();
    site.server = http.createServer((req, res) => void site.handle(req, res));
    site.server.on('connection', (s) => {
      site.sockets.add(s);
      s.on('close', () => site.sockets.delete(s));
    });
    await new Promise<void>((r) => site.server.listen(0, '127.0.0.1', r));
    return site;
  }

  get base() {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  url(path: string) {
    return this.base + path;
  }

  /** Every fixture page, as SII_NEWS_URLS would list them. */
  get urls() {
    return Object.keys(SII_PAGES).map((p) => this.url(p));
  }

  set(path: string, page: Page) {
    this.pages.set(path, page);
  }

  reset() {
    this.requests.length = 0;
    this.pages.clear();
    for (const [path, { file, contentType }] of Object.entries(SII_PAGES))
      this.pages.set(path, { body: fixture(file), contentType });
  }

  async close() {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const path = (req.url ?? '/').split('?')[0];
    this.requests.push(path);
    const page = this.pages.get(path);
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>No encontrado</h1>');
      return;
    }
    if (page.delayMs) await new Promise((r) => setTimeout(r, page.delayMs).unref());
    if (res.destroyed) return;
    res.writeHead(page.status ?? 200, {
      'content-type': page.contentType ?? 'text/html; charset=utf-8',
      ...(page.headers ?? {}),
    });
    res.end(page.body);
  }
}
