import { DomainError } from '../common/domain-error';
import { assertAllowedSiiUrls, isAllowedSiiUrl } from './sii-url-policy';

describe('isAllowedSiiUrl', () => {
  const configured = ['http://127.0.0.1:4010/noticias/index.htm', 'https://espejo.example.cl/sii/'];
  it.each([
    ['https://www.sii.cl/noticias/2026/index.htm', true],
    ['https://sii.cl/x', true],
    ['http://homer.sii.cl/', true],
    ['http://127.0.0.1:5999/other.htm', true],
    ['https://espejo.example.cl/otra', true],
    ['https://evil-sii.cl/', false],
    ['https://www.sii.cl.evil.com/', false],
    ['http://169.254.169.254/latest/meta-data/', false],
    ['http://localhost:6379/', false],
    ['http://redis:6379/', false],
    ['no es una url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedSiiUrl(url, configured)).toBe(allowed);
  });

  it('refuses the first foreign URL with a 400-type error naming urls', () => {
    expect(() => assertAllowedSiiUrls(['https://www.sii.cl/a', 'http://10.0.0.5/admin'], configured)).toThrow(
      DomainError,
    );
    try {
      assertAllowedSiiUrls(['http://10.0.0.5/admin'], configured);
    } catch (e) {
      expect((e as DomainError).extra.field).toBe('urls');
      expect((e as DomainError).detail).toContain('10.0.0.5');
    }
  });
});
