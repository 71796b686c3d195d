import { DomainError, ErrorCode } from '../common/domain-error';

/**
 * Only the SII's own site and the hosts an operator configured (SII_NEWS_URLS) may be fetched,
 * so an API caller cannot make the service request internal addresses (SSRF).
 */
export function isAllowedSiiUrl(url: string, configuredUrls: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'sii.cl' || host.endsWith('.sii.cl')) return true;
  return configuredUrls.some((c) => {
    try {
      return new URL(c).hostname.toLowerCase() === host;
    } catch {
      return false;
    }
  });
}

export function assertAllowedSiiUrls(urls: readonly string[], configuredUrls: readonly string[]): void {
  const refused = urls.find((u) => !isAllowedSiiUrl(u, configuredUrls));
  if (refused) {
    throw new DomainError(
      ErrorCode.INVALID_REQUEST,
      `El campo "urls" contiene una dirección fuera de los sitios permitidos (sii.cl o los de SII_NEWS_URLS): ${refused.slice(0, 200)}`,
      { field: 'urls' },
    );
  }
}
