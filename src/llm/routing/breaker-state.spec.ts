import { admit, opensAfterFailure, parseOpenCircuit, stateAt } from './breaker-state';

describe('breaker state (pure)', () => {
  it.each([
    [null, 1000, 'closed'],
    [{ openedAt: 0, until: 2000 }, 1000, 'open'],
    [{ openedAt: 0, until: 2000 }, 2000, 'half_open'],
    [{ openedAt: 0, until: 2000 }, 5000, 'half_open'],
  ] as const)('stored %j at %i → %s', (open, now, state) => {
    expect(stateAt(open, now)).toBe(state);
  });

  it.each([
    ['closed', false, 'pass'],
    ['closed', true, 'pass'],
    ['open', true, 'skip'],
    ['half_open', true, 'probe'],
    ['half_open', false, 'skip'],
  ] as const)('%s with probe lock %s → %s', (state, got, permit) => {
    expect(admit(state, got)).toBe(permit);
  });

  it.each([
    ['pass', 1, 3, false],
    ['pass', 3, 3, true],
    ['pass', 4, 3, true],
    ['probe', 0, 3, true], // a failed probe reopens at once
  ] as const)('%s after %i consecutive failures (threshold %i) opens: %s', (permit, failures, threshold, opens) => {
    expect(opensAfterFailure(permit, failures, threshold)).toBe(opens);
  });

  it('reads what the store holds, ignoring garbage', () => {
    expect(parseOpenCircuit('{"openedAt":1,"until":5}')).toEqual({ openedAt: 1, until: 5 });
    expect(parseOpenCircuit(null)).toBeNull();
    expect(parseOpenCircuit('nope')).toBeNull();
    expect(parseOpenCircuit('{"state":"open"}')).toBeNull();
  });
});
