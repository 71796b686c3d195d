import { constantTable } from '../../common/lookup-table';

/**
 * Dates as the SII writes them, to ISO `YYYY-MM-DD`. Pure functions. The month table is looked up
 * with words from the page: it has no prototype, so `constructor` is no month.
 */
const MONTHS = constantTable<number>({
  enero: 1,
  ene: 1,
  febrero: 2,
  feb: 2,
  marzo: 3,
  mar: 3,
  abril: 4,
  abr: 4,
  mayo: 5,
  may: 5,
  junio: 6,
  jun: 6,
  julio: 7,
  jul: 7,
  agosto: 8,
  ago: 8,
  septiembre: 9,
  setiembre: 9,
  sep: 9,
  sept: 9,
  set: 9,
  octubre: 10,
  oct: 10,
  noviembre: 11,
  nov: 11,
  diciembre: 12,
  dic: 12,
});
const MONTH_NAMES = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

// "14 de noviembre de 2025", "30 de Enero del 2025", "14 nov. 2025", "14 de noviembre, 2025"
const LONG = new RegExp(`\\b(\\d{1,2})(?:\\s+de)?\\s+(${MONTH_NAMES})\\.?(?:\\s+(?:de|del))?,?\\s+(\\d{4})\\b`, 'i');
// "14/11/2025", "14-11-2025", "14.11.2025"
const NUMERIC = /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b/;
// "2025-11-14"
const ISO = /\b(\d{4})-(\d{2})-(\d{2})\b/;
// News pages are named by date: noticias/2025/141125noti01ms.htm (DDMMYY)
const NEWS_CODE = /(?:^|\/)(\d{2})(\d{2})(\d{2})noti/i;

function iso(year: number, month: number, day: number): string | null {
  if (year < 1990 || year > 2100) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/** The first date found in a text, or null. */
export function parseSpanishDate(text: string): string | null {
  const t = text.normalize('NFC');
  let m = ISO.exec(t);
  if (m) return iso(+m[1], +m[2], +m[3]);
  m = LONG.exec(t);
  if (m) return iso(+m[3], MONTHS[m[2].toLowerCase()], +m[1]);
  m = NUMERIC.exec(t);
  if (m) return iso(+m[3], +m[2], +m[1]);
  return null;
}

/** The date encoded in an SII news file name (`141125noti01ms.htm` → 2025-11-14), or null. */
export function dateFromNewsCode(link: string): string | null {
  const m = NEWS_CODE.exec(link);
  return m ? iso(2000 + +m[3], +m[2], +m[1]) : null;
}

/** The text with its first date removed (for titles built from a whole row). */
export function withoutDate(text: string): string {
  for (const re of [ISO, LONG, NUMERIC]) {
    if (re.test(text))
      return text
        .replace(re, ' ')
        .replace(/\s+/g, ' ')
        .replace(/^[\s,;:|–-]+|[\s,;:|–-]+$/g, '');
  }
  return text;
}
