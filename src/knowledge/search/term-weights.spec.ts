import { coverageWeight, INTENT_WEIGHT, STATE_WEIGHT, termWeight } from './term-weights';

describe('query term weights', () => {
  it.each([
    [0, 46, 1],
    [5, 46, 1],
    [11, 46, 1],
    [12, 46, 0.75],
    [23, 46, 0.75],
    [24, 46, 0.5],
    [46, 46, 0.5],
    [3, 0, 1],
  ])('a term in %i of %i documents weighs %p', (withTerm, count, weight) => {
    expect(coverageWeight(withTerm, count)).toBe(weight);
  });

  it('counts intent words double, state words at STATE_WEIGHT, then by coverage', () => {
    expect(termWeight('anul', 3, 46)).toBe(INTENT_WEIGHT);
    expect(termWeight('cobr', 30, 46)).toBe(INTENT_WEIGHT * 0.5);
    expect(termWeight('acept', 10, 46)).toBe(STATE_WEIGHT);
    expect(termWeight('factur', 40, 46)).toBe(0.5);
    expect(termWeight('folio', 6, 46)).toBe(1);
  });
});
