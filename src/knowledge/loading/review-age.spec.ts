import { monthsBefore, staleDocuments } from './review-age';

describe('review age', () => {
  it.each([
    ['2026-12-06T12:00:00Z', 12, '2025-12-06'],
    ['2026-03-31T00:00:00Z', 1, '2026-02-28'],
    ['2024-02-29T00:00:00Z', 12, '2023-02-28'],
    ['2026-01-10T00:00:00Z', 1, '2025-12-10'],
  ])('%s minus %i months is %s', (now, months, day) => {
    expect(monthsBefore(new Date(now), months)).toBe(day);
  });

  it('lists the documents reviewed before the cut-off, oldest first', () => {
    const docs = [
      { id: 'nuevo', reviewed: '2026-11-30' },
      { id: 'limite', reviewed: '2025-12-06' },
      { id: 'viejo', reviewed: '2025-12-05' },
      { id: 'antiguo', reviewed: '2024-01-01' },
    ];
    expect(staleDocuments(docs, new Date('2026-12-06T08:00:00Z'))).toEqual(['antiguo', 'viejo']);
    expect(staleDocuments([], new Date())).toEqual([]);
  });
});
