import { ProviderError } from '../llm-errors';
import { providerRetryPolicy, retryDelayMs, worthRetrying } from './retry-policy';

const err = (reason: ProviderError['reason'], retryAfterMs?: number) =>
  new ProviderError('anthropic', reason, 'x', { retryAfterMs });

describe('retry policy', () => {
  it.each([
    [err('overloaded', 2000), 1, 2000],
    [err('overloaded', 0), 3, 0],
    [err('server_error'), 1, 250],
    [err('server_error'), 2, 500],
    [err('server_error'), 10, 4000],
  ])('%s attempt %i waits %i ms', (e, attempt, ms) => {
    expect(retryDelayMs(e, attempt)).toBe(ms);
  });

  it.each([
    [err('overloaded', 1000), 5000, true],
    [err('overloaded', 1000), 1200, false], // the wait would eat the budget
    [err('rate_limited', 60_000), 30_000, false],
    [err('timeout'), 5000, true],
    [err('rejected'), 5000, false],
    [err('circuit_open'), 5000, false],
    [err('aborted'), 5000, false],
    [new Error('bug'), 5000, false],
  ])('%s with %i ms left: retry %s', (e, remaining, expected) => {
    expect(worthRetrying(e, 1, remaining)).toBe(expected);
  });

  describe('with fake timers', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('runs at most maxRetries extra attempts, each after the retry-after', async () => {
      const policy = providerRetryPolicy(2, () => 10_000);
      const calledAt: number[] = [];
      const start = Date.now();
      const outcome = policy
        .execute(async () => {
          calledAt.push(Date.now() - start);
          throw err('overloaded', 30);
        })
        .catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(29);
      expect(calledAt).toEqual([0]);
      await jest.advanceTimersByTimeAsync(1);
      expect(calledAt).toEqual([0, 30]);
      await jest.advanceTimersByTimeAsync(30);
      expect(calledAt).toEqual([0, 30, 60]);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(calledAt).toHaveLength(3);
      expect(await outcome).toBeInstanceOf(ProviderError);
    });
  });
});
