import { computeConfidence, relevance } from './confidence';

describe('computeConfidence', () => {
  it.each([
    // provider, scores, record, min, max
    ['anthropic', [], false, 55, 65],
    ['anthropic', [93, 89, 21], false, 90, 98],
    ['anthropic', [28], false, 75, 85],
    ['anthropic', [0.9, 0.6], false, 60, 65],
    ['openai', [93, 89, 21], false, 85, 95],
    ['offline', [], false, 15, 25],
    ['offline', [93, 89, 21], false, 45, 65],
    ['anthropic', [], true, 65, 72],
  ] as const)('%s with scores %p (record %p) is within [%p, %p]', (provider, scores, hasRecordContext, min, max) => {
    const c = computeConfidence({ provider, scores: [...scores], hasRecordContext });
    expect(c).toBeGreaterThanOrEqual(min);
    expect(c).toBeLessThanOrEqual(max);
  });

  it('never leaves 0–100 and rises with retrieval quality', () => {
    let previous = -1;
    for (const s of [0, 0.5, 1, 2, 5, 10, 30, 90, 1000]) {
      const c = computeConfidence({ provider: 'anthropic', scores: [s], hasRecordContext: true });
      expect(c).toBeGreaterThanOrEqual(previous);
      expect(c).toBeLessThanOrEqual(100);
      previous = c;
    }
  });

  it('ranks offline below a model for the same retrieval', () => {
    const input = { scores: [12], hasRecordContext: false };
    expect(computeConfidence({ provider: 'offline', ...input })).toBeLessThan(
      computeConfidence({ provider: 'openai', ...input }),
    );
    expect(computeConfidence({ provider: 'openai', ...input })).toBeLessThan(
      computeConfidence({ provider: 'anthropic', ...input }),
    );
  });

  it.each([
    [-1, 0],
    [NaN, 0],
    [0, 0],
  ])('relevance(%p) = %p', (s, r) => expect(relevance(s)).toBe(r));
  it('relevance saturates towards 1', () => {
    expect(relevance(20)).toBeCloseTo(0.632, 2);
    expect(relevance(120)).toBeGreaterThan(0.99);
    expect(relevance(120)).toBeLessThanOrEqual(1);
  });
});
