import type { KnowledgeDocument } from '../knowledge.types';

/** Rates, caps and deadlines change every year: a document not checked for this long may be wrong. */
const REVIEW_MAX_AGE_MONTHS = 12;

/** The day `months` calendar months before `now` (UTC), as YYYY-MM-DD; day 31 clamps to the month's end. */
export function monthsBefore(now: Date, months: number): string {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(now.getUTCDate(), lastDay))).toISOString().slice(0, 10);
}

/** Ids of the documents last reviewed before the cut-off, oldest review first. Pure. */
export function staleDocuments(
  documents: Iterable<Pick<KnowledgeDocument, 'id' | 'reviewed'>>,
  now: Date,
  maxAgeMonths = REVIEW_MAX_AGE_MONTHS,
): string[] {
  const cutoff = monthsBefore(now, maxAgeMonths);
  return [...documents]
    .filter((d) => d.reviewed < cutoff)
    .sort((a, b) => a.reviewed.localeCompare(b.reviewed) || a.id.localeCompare(b.id))
    .map((d) => d.id);
}
