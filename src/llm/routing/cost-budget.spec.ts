import { CostBudget } from './cost-budget';

describe('CostBudget', () => {
  it.each([
    // limit, [worst case, settled at (null: unknown)] per attempt, which attempts fit
    ['one attempt within the limit', 1, [[0.6, 0.02]], [true]],
    ['exactly at the limit', 1, [[1, null]], [true]],
    ['over the limit on its own', 1, [[1.01, 0]], [false]],
    [
      'an error answer costs nothing: the retry fits',
      1,
      [
        [0.6, 0],
        [0.6, 0.01],
      ],
      [true, true],
    ],
    [
      'a timeout keeps its worst case: the retry does not fit',
      1,
      [
        [0.6, null],
        [0.6, 0],
      ],
      [true, false],
    ],
    [
      'a known cost frees the rest of the reservation',
      1,
      [
        [0.6, 0.1],
        [0.6, 0.1],
        [0.3, 0],
      ],
      [true, true, true],
    ],
    [
      'three unknowns of 0.3 fit, a fourth does not',
      1,
      [
        [0.3, null],
        [0.3, null],
        [0.3, null],
        [0.3, 0],
      ],
      [true, true, true, false],
    ],
  ] as const)('%s', (_name, limit, attempts, fits) => {
    const budget = new CostBudget(limit);
    const got = attempts.map(([worst, cost]) => {
      const ok = budget.open(worst);
      if (ok) budget.settle(cost);
      return ok;
    });
    expect(got).toEqual(fits);
  });

  it('counts an attempt left open (never settled) at its worst case', () => {
    const budget = new CostBudget(1);
    expect(budget.open(0.6)).toBe(true);
    expect(budget.open(0.6)).toBe(false);
    expect(budget.open(0.4)).toBe(true);
    expect(budget.committedUsd).toBe(1);
  });

  it('settles once: a second settle of the same attempt changes nothing', () => {
    const budget = new CostBudget(1);
    budget.open(0.6);
    budget.settle(null);
    budget.settle(0);
    expect(budget.committedUsd).toBe(0.6);
  });

  it('counts what was really spent, even above the estimate, and sums exactly', () => {
    const budget = new CostBudget(1);
    budget.open(0.1);
    budget.settle(0.15);
    expect(budget.committedUsd).toBe(0.15);
    expect(budget.open(0.9)).toBe(false);
    expect(budget.open(0.05)).toBe(true);
    budget.settle(null);
    for (let i = 0; i < 8; i++) {
      expect(budget.open(0.1)).toBe(true);
      budget.settle(null);
    }
    expect(budget.committedUsd).toBe(1);
    expect(budget.open(0.000000001)).toBe(false);
  });
});
