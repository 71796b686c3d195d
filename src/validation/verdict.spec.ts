import { confidenceOf, recommendationOf } from './verdict';

describe('confidence and recommendation', () => {
  it.each([
    [{ errors: 0, warnings: 0, unverified: 0 }, 100, 'send'],
    [{ errors: 0, warnings: 0, unverified: 2 }, 90, 'send'],
    [{ errors: 0, warnings: 1, unverified: 0 }, 90, 'review'],
    [{ errors: 0, warnings: 0, unverified: 0, llmConfidence: 55 }, 55, 'review'],
    [{ errors: 0, warnings: 0, unverified: 0, llmConfidence: 95.4 }, 95, 'send'],
    [{ errors: 0, warnings: 0, unverified: 1, llmConfidence: 100 }, 95, 'send'],
    [{ errors: 1, warnings: 0, unverified: 0 }, 20, 'reject'],
    [{ errors: 3, warnings: 2, unverified: 0 }, 10, 'reject'],
    [{ errors: 1, warnings: 0, unverified: 0, llmConfidence: 100 }, 20, 'reject'],
    [{ errors: 9, warnings: 0, unverified: 0 }, 0, 'reject'],
    [{ errors: 0, warnings: 12, unverified: 0 }, 0, 'review'],
  ])('%p → confidence %i, %s', (input, confidence, recommendation) => {
    const c = confidenceOf(input);
    expect(c).toBe(confidence);
    expect(recommendationOf(input.errors, input.warnings, c)).toBe(recommendation);
  });

  it('never lets the LLM raise the confidence or turn a reject into send', () => {
    for (const llmConfidence of [0, 50, 100]) {
      const c = confidenceOf({ errors: 1, warnings: 0, unverified: 0, llmConfidence });
      expect(c).toBeLessThanOrEqual(20);
      expect(recommendationOf(1, 0, c)).toBe('reject');
    }
  });
});
