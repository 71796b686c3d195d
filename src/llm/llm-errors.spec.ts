import { parseRetryAfter, ProviderError, reasonFor, REASON_POLICY } from './llm-errors';

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });

describe('error classification', () => {
  it.each([
    [429, undefined, 'rate_limited'],
    [529, 'overloaded_error', 'overloaded'],
    [undefined, 'overloaded_error', 'overloaded'], // `event: error` inside a 200 stream
    [undefined, 'rate_limit_error', 'rate_limited'],
    [undefined, 'api_error', 'server_error'],
    [500, 'api_error', 'server_error'],
    [502, undefined, 'server_error'],
    [503, undefined, 'server_error'],
    [408, undefined, 'timeout'],
    [409, undefined, 'server_error'],
    [400, 'invalid_request_error', 'rejected'],
    [401, 'authentication_error', 'unauthorized'],
    [403, 'permission_error', 'unauthorized'],
    [404, 'not_found_error', 'rejected'],
    [413, 'request_too_large', 'rejected'],
    [422, undefined, 'rejected'],
  ])('status %s type %s → %s', (status, type, reason) => {
    expect(reasonFor(status, type)).toBe(reason);
  });

  it('the policy table: transient failures are retried and fall back; a refused key falls back; a refused request goes nowhere paid', () => {
    const table = Object.fromEntries(
      Object.entries(REASON_POLICY).map(([r, p]) => [r, [p.retry, p.fallback, p.countsForBreaker]]),
    );
    expect(table).toEqual({
      timeout: [true, true, true],
      connection: [true, true, true],
      rate_limited: [true, true, true],
      overloaded: [true, true, true],
      server_error: [true, true, true],
      bad_response: [true, true, true],
      unauthorized: [false, true, true],
      rejected: [false, false, false],
      circuit_open: [false, true, false],
      aborted: [false, false, false],
      shutdown: [false, false, false],
    });
    expect(new ProviderError('anthropic', 'overloaded', 'x').policy.retry).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');
  it.each([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': '1.5' }, 1500],
    [{ 'retry-after-ms': '250' }, 250],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'retry-after': 'Tue, 24 Nov 2026 12:00:10 GMT' }, 10000],
    [{ 'retry-after': 'Tue, 24 Nov 2026 11:59:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%j → %s ms', (h, ms) => {
    expect(parseRetryAfter(headers(h), now)).toBe(ms);
  });

  it('tolerates missing header objects', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter({} as never)).toBeUndefined();
  });
});
