import { daysBetween, isDay, periodRange } from './cost-periods';

describe('days of a period', () => {
  it('lists the days of a range inclusively', () => {
    expect(daysBetween('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(daysBetween('2026-01-02', '2026-01-01')).toEqual([]);
  });

  it.each([
    ['2026-11-24', true],
    ['2026-13-01', false],
    ['2026-11-24x', false],
    ['today', false],
  ])('isDay(%s) is %p', (s, ok) => {
    expect(isDay(s)).toBe(ok);
  });
});

describe('periodRange', () => {
  // 2026-11-25 is a Wednesday.
  it.each([
    ['today', '2026-11-25', '2026-11-25'],
    ['yesterday', '2026-11-24', '2026-11-24'],
    ['this_week', '2026-11-23', '2026-11-25'],
    ['this_month', '2026-11-01', '2026-11-25'],
    ['last_30_days', '2026-10-27', '2026-11-25'],
  ] as const)('%s runs from %s to %s', (period, from, to) => {
    expect(periodRange(period, '2026-11-25')).toEqual({ from, to });
  });

  it('starts the week on Monday, also on a Sunday or a Monday', () => {
    expect(periodRange('this_week', '2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(periodRange('this_week', '2026-11-23')).toEqual({ from: '2026-11-23', to: '2026-11-23' });
  });

  it('crosses the year for yesterday on January 1st', () => {
    expect(periodRange('yesterday', '2027-01-01')).toEqual({ from: '2026-12-31', to: '2026-12-31' });
  });
});
