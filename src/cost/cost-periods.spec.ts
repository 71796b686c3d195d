import { addDays, daysBetween, isDay, localDay, periodRange } from './cost-periods';

describe('localDay (America/Santiago)', () => {
  it.each([
    ['2026-11-24T02:30:00Z', '2026-11-23', 'summer time (UTC−3): 23:30 local on the 23rd'],
    ['2026-11-24T03:00:00Z', '2026-11-24', 'summer time: local midnight'],
    ['2026-06-15T03:30:00Z', '2026-06-14', 'winter time (UTC−4): 23:30 local'],
    ['2026-06-15T04:00:00Z', '2026-06-15', 'winter time: local midnight'],
  ])('%s is %s (%s)', (iso, day) => {
    expect(localDay(new Date(iso))).toBe(day);
  });

  it('can use another zone', () => {
    expect(localDay(new Date('2026-11-24T02:30:00Z'), 'UTC')).toBe('2026-11-24');
  });
});

describe('calendar arithmetic', () => {
  it.each([
    ['2026-03-01', -1, '2026-02-28'],
    ['2028-03-01', -1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-11-24', -29, '2026-10-26'],
  ])('%s %+d days is %s', (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected);
  });

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

describe('localDay memo', () => {
  it('answers right across a local midnight within the same minute of calls, and per time zone', () => {
    // 03:00:00Z on 2026-11-24 is 00:00 in Santiago (UTC−3 in summer): one second apart, two days.
    expect(localDay(new Date('2026-11-24T02:59:59.900Z'))).toBe('2026-11-23');
    expect(localDay(new Date('2026-11-24T02:59:59.999Z'))).toBe('2026-11-23');
    expect(localDay(new Date('2026-11-24T03:00:00.000Z'))).toBe('2026-11-24');
    expect(localDay(new Date('2026-11-24T03:00:00.000Z'), 'UTC')).toBe('2026-11-24');
    expect(localDay(new Date('2026-11-24T02:59:59.999Z'))).toBe('2026-11-23');
  });
});
