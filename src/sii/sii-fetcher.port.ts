/** DI token of the SII page fetcher (global fetch in production, anything in tests). */
export const SII_FETCHER = Symbol('SII_FETCHER');

export interface FetchedPage {
  /** Final URL after redirects (relative links resolve against it). */
  url: string;
  html: string;
}

export interface SiiFetcher {
  /** Throws PageFetchError with a Spanish sentence when the page cannot be read. */
  fetchPage(url: string): Promise<FetchedPage>;
}

export class PageFetchError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'PageFetchError';
  }
}
