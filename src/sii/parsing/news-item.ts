/** One entry of an SII listing page, as extracted (before any analysis). */
export interface ParsedNewsItem {
  title: string;
  /** Absolute URL of the item (page or PDF); null when the listing gives no link. */
  link: string | null;
  /** ISO `YYYY-MM-DD` when the page shows one. */
  date: string | null;
  /** Text around the title on the listing (summary, subject, issuing office), bounded. */
  excerpt: string;
  source_url: string;
}
