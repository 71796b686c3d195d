import { addDays, addMonths, chileDay } from './chile-time';

describe('chileDay (America/Santiago)', () => {
  it.each([
    ['2026-11-24T02:30:00Z', '2026-11-23', 'summer time (UTC−3): 23:30 local on the 23rd'],
    ['2026-11-24T03:00:00Z', '2026-11-24', 'summer time: local midnight'],
    ['2026-06-15T03:30:00Z', '2026-06-14', 'winter time (UTC−4): 23:30 local'],
    ['2026-06-15T04:00:00Z', '2026-06-15', 'winter time: local midnight'],
    ['2026-03-11T02:00:00Z', '2026-03-10', '02:00 UTC on the 11th is still the 10th in Santiago (UTC−3 in March)'],
    ['2026-07-11T05:00:00Z', '2026-07-11', 'winter: 01:00 local'],
  ])('%s is %s (%s)', (iso, day) => {
    expect(chileDay(new Date(iso))).toBe(day);
  });

  it('answers right across a local midnight within the same second of calls', () => {
    // 03:00:00Z on 2026-11-24 is 00:00 in Santiago (UTC−3 in summer): one second apart, two days.
    expect(chileDay(new Date('2026-11-24T02:59:59.900Z'))).toBe('2026-11-23');
    expect(chileDay(new Date('2026-11-24T02:59:59.999Z'))).toBe('2026-11-23');
    expect(chileDay(new Date('2026-11-24T03:00:00.000Z'))).toBe('2026-11-24');
    expect(chileDay(new Date('2026-11-24T02:59:59.999Z'))).toBe('2026-11-23');
  });

  it('refuses an invalid date rather than answering a day', () => {
    expect(() => chileDay(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('calendar arithmetic on Chilean days', () => {
  it.each([
    ['2026-03-01', -1, '2026-02-28'],
    ['2028-03-01', -1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-11-24', -29, '2026-10-26'],
  ])('%s %+d days is %s', (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected);
  });

  it.each([
    ['2026-08-31', -6, '2026-02-28'],
    ['2026-03-20', -6, '2025-09-20'],
    ['2024-08-31', -6, '2024-02-29'],
    ['2026-11-30', 3, '2027-02-28'],
  ])('%s %+d months is %s (day clamped to the month)', (day, n, expected) => {
    expect(addMonths(day, n)).toBe(expected);
  });
});
