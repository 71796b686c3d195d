import { HttpSiiFetcher } from '../../src/sii/http-sii.fetcher';
import { PageFetchError } from '../../src/sii/sii-fetcher.port';
import { freePort } from '../helpers/ports';
import { FakeSiiSite } from './sii-site';

/** The production fetcher against a local HTTP server (a loopback host, so explicitly allowed). */
let site: FakeSiiSite;
const fetcher = new HttpSiiFetcher({
  timeoutMs: 500,
  maxBytes: 64 * 1024,
  allowedUrls: ['http://127.0.0.1/'],
  privateHosts: ['127.0.0.1'],
});

beforeAll(async () => {
  site = await FakeSiiSite.start();
});
afterAll(() => site.close());
beforeEach(() => site.reset());

const failure = (url: string) =>
  fetcher.fetchPage(url).then(
    () => null,
    (e: unknown) => e as PageFetchError,
  );

it('decodes an ISO-8859-1 page declared in the Content-Type', async () => {
  const page = await fetcher.fetchPage(site.url('/normativa_legislacion/resoluciones/2025/res_ind2025.htm'));
  expect(page.html).toContain('Resolución Ex. SII N° 128');
});

it('decodes an ISO-8859-1 page declared only in a meta tag', async () => {
  const page = await fetcher.fetchPage(site.url('/noticias/2025/index.htm'));
  expect(page.html).toContain('Noticias 2025');
  expect(page.html).not.toContain('\uFFFD');
});

it('follows redirects and reports the final URL (relative links resolve against it)', async () => {
  site.set('/old.htm', {
    body: '',
    status: 301,
    headers: { location: '/normativa_legislacion/circulares/2025/indcir2025.htm' },
  });
  const page = await fetcher.fetchPage(site.url('/old.htm'));
  expect(page.url).toBe(site.url('/normativa_legislacion/circulares/2025/indcir2025.htm'));
});

it.each([
  ['an HTTP error', async () => site.url('/missing.htm'), 'HTTP_404', /HTTP 404/],
  ['a refused connection', async () => `http://127.0.0.1:${await freePort()}/`, 'ECONNREFUSED', /rechazó la conexión/],
  [
    'a server slower than the limit',
    async () => (site.set('/slow.htm', { body: '<p>x</p>', delayMs: 2000 }), site.url('/slow.htm')),
    'TIMEOUT',
    /no respondió dentro de 500 ms/,
  ],
  [
    'a declared size over the limit',
    async () => (site.set('/big.htm', { body: Buffer.alloc(200 * 1024, 'a') }), site.url('/big.htm')),
    'TOO_LARGE',
    /supera el máximo de 64 KiB/,
  ],
])('fails with a Spanish reason for %s', async (_name, url, code, message) => {
  const started = Date.now();
  const e = await failure(await url());
  expect(e).toBeInstanceOf(PageFetchError);
  expect(e).toMatchObject({ code });
  expect(e!.message).toMatch(message);
  expect(Date.now() - started).toBeLessThan(1500);
});

it('stops reading a chunked body once it passes the size limit', async () => {
  site.set('/chunked.htm', { body: Buffer.alloc(300 * 1024, 'b'), headers: { 'transfer-encoding': 'chunked' } });
  expect(await failure(site.url('/chunked.htm'))).toMatchObject({ code: 'TOO_LARGE' });
});
