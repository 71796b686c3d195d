import type { LookupFunction } from 'node:net';
import { HttpSiiFetcher, HttpFetcherOptions } from '../../src/sii/http-sii.fetcher';
import { PageFetchError } from '../../src/sii/sii-fetcher.port';
import { FakeSiiSite } from './sii-site';

const PAGE = '/noticias/2025/index.htm';

/** A resolver that answers `address` for every name, as a poisoned or rebound DNS would. */
const resolvesTo =
  (address: string): LookupFunction =>
  (_host, options, callback) => {
    const family = address.includes(':') ? 6 : 4;
    if ((options as { all?: boolean }).all) (callback as any)(null, [{ address, family }]);
    else (callback as any)(null, address, family);
  };

/**
 * The production fetcher (undici, real sockets) against two local sites: every hop of a redirect is
 * checked against the allow-list (sii.cl and the hosts of SII_NEWS_URLS), and an address that is
 * private, loopback, link-local or unspecified is refused after DNS resolution, unless an operator
 * listed that host in SII_ALLOWED_PRIVATE_HOSTS (how these tests reach their loopback sites).
 */
describe('SII fetcher: redirects and addresses are checked on every hop', () => {
  let a: FakeSiiSite;
  let b: FakeSiiSite;
  beforeAll(async () => {
    [a, b] = await Promise.all([FakeSiiSite.start(), FakeSiiSite.start()]);
  });
  afterAll(async () => Promise.all([a.close(), b.close()]));
  beforeEach(() => {
    a.reset();
    b.reset();
  });

  const fetcherWith = (opts: Partial<HttpFetcherOptions>) =>
    new HttpSiiFetcher({ timeoutMs: 2000, maxBytes: 1024 * 1024, ...opts });
  const failure = (fetcher: HttpSiiFetcher, url: string) =>
    fetcher.fetchPage(url).then(
      () => null,
      (e: unknown) => e as PageFetchError,
    );
  const portOf = (site: FakeSiiSite) => new URL(site.base).port;

  it('refuses a redirect to a host outside the allow-list; the other site is never asked', async () => {
    a.set('/r', { body: '', status: 302, headers: { location: `http://localhost:${portOf(b)}${PAGE}` } });
    const fetcher = fetcherWith({ allowedUrls: [a.base], privateHosts: ['127.0.0.1', 'localhost'] });
    const e = await failure(fetcher, a.url('/r'));
    expect(e).toBeInstanceOf(PageFetchError);
    expect(e).toMatchObject({ code: 'REDIRECT_REFUSED' });
    expect(e!.message).toMatch(/localhost/);
    expect(b.requests).toEqual([]);
  });

  it('follows a redirect that stays on allowed hosts', async () => {
    a.set('/old.htm', { body: '', status: 301, headers: { location: PAGE } });
    const page = await fetcherWith({ allowedUrls: [a.base], privateHosts: ['127.0.0.1'] }).fetchPage(a.url('/old.htm'));
    expect(page.url).toBe(a.url(PAGE));
    expect(page.html).toContain('Noticias 2025');
  });

  it('refuses an allowed name (www.sii.cl) that resolves to a loopback address, before connecting', async () => {
    const fetcher = fetcherWith({ lookup: resolvesTo('127.0.0.1') });
    const e = await failure(fetcher, `http://www.sii.cl:${portOf(a)}${PAGE}`);
    expect(e).toMatchObject({ code: 'PRIVATE_ADDRESS' });
    expect(e!.message).toMatch(/127\.0\.0\.1/);
    expect(a.requests).toEqual([]);
  });

  it('refuses a redirect whose allowed destination resolves to a private address', async () => {
    a.set('/r', { body: '', status: 302, headers: { location: `http://intranet.sii.cl:${portOf(b)}${PAGE}` } });
    const lookup: LookupFunction = (host, options, callback) =>
      resolvesTo(host === 'intranet.sii.cl' ? '10.1.2.3' : '127.0.0.1')(host, options, callback);
    const fetcher = fetcherWith({ allowedUrls: [a.base], privateHosts: ['127.0.0.1'], lookup });
    expect(await failure(fetcher, a.url('/r'))).toMatchObject({ code: 'PRIVATE_ADDRESS' });
    expect(b.requests).toEqual([]);
  });

  it('reaches a private host an operator listed in SII_ALLOWED_PRIVATE_HOSTS', async () => {
    const fetcher = fetcherWith({ privateHosts: ['www.sii.cl'], lookup: resolvesTo('127.0.0.1') });
    const page = await fetcher.fetchPage(`http://www.sii.cl:${portOf(a)}${PAGE}`);
    expect(page.html).toContain('Noticias 2025');
  });

  it.each([
    ['link-local (cloud metadata)', 'http://169.254.169.254/latest/meta-data/'],
    ['unspecified', 'http://0.0.0.0:80/'],
    ['private', 'http://10.0.0.8/'],
    ['loopback IPv6', 'http://[::1]:80/'],
    ['link-local IPv6', 'http://[fe80::1]/'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/'],
    ['unique-local IPv6', 'http://[fd00::1]/'],
  ])('refuses a %s address even when configured as a news URL', async (_what, url) => {
    const fetcher = fetcherWith({ allowedUrls: [url] });
    const started = performance.now();
    expect(await failure(fetcher, url)).toMatchObject({ code: 'PRIVATE_ADDRESS' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('gives up after 5 redirects', async () => {
    a.set('/loop', { body: '', status: 302, headers: { location: '/loop' } });
    const e = await failure(fetcherWith({ allowedUrls: [a.base], privateHosts: ['127.0.0.1'] }), a.url('/loop'));
    expect(e).toMatchObject({ code: 'TOO_MANY_REDIRECTS' });
    expect(a.requests).toHaveLength(6);
  });
});
