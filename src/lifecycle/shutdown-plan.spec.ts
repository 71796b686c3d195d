import { shutdownPlan } from './shutdown-plan';

describe('shutdownPlan', () => {
  it.each([
    // grace, abort at, final writes by, forced exit at
    [10_000, 7_500, 9_000, 10_000],
    [30_000, 27_000, 29_000, 30_000],
    [4_000, 3_000, 3_500, 4_000],
    [2_000, 1_500, 1_750, 2_000],
    [1_000, 500, 750, 1_000],
    [300, 0, 150, 300],
    [0, 0, 0, 0],
  ])('grace %p ms → abort %p, flush by %p, exit 1 at %p', (grace, abort, flush, force) => {
    expect(shutdownPlan(grace)).toEqual({ abortInFlightAt: abort, finalWritesBy: flush, forceExitAt: force });
  });

  it('keeps abort ≤ flush ≤ forced exit for any grace period', () => {
    for (let grace = 0; grace <= 600_000; grace += 137) {
      const p = shutdownPlan(grace);
      expect(p.abortInFlightAt).toBeGreaterThanOrEqual(0);
      expect(p.abortInFlightAt).toBeLessThanOrEqual(p.finalWritesBy);
      expect(p.finalWritesBy).toBeLessThanOrEqual(p.forceExitAt);
    }
  });
});
