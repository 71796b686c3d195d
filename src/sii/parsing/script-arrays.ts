import { load } from 'cheerio';
import { dateFromNewsCode, parseSpanishDate } from './spanish-date';
import type { ParsedNewsItem } from './news-item';

const STR = `'(?:[^'\\\\\\n]|\\\\.)*'|"(?:[^"\\\\\\n]|\\\\.)*"`;
const TUPLE = new RegExp(`\\[\\s*((?:(?:${STR})\\s*,\\s*){2,}(?:${STR}))\\s*,?\\s*\\]`, 'g');
const ELEMENT = new RegExp(STR, 'g');
const NEWS_ID = /^\d{6}noti\w*$/i;
const DOC_PATH = /\.(s?html?|pdf)$/i;
const IMAGE = /\.(jpe?g|png|gif|webp|svg)$/i;

const unquote = (s: string) =>
  s
    .slice(1, -1)
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\(.)/g, '$1');
const plain = (s: string) => load(`<p>${s}</p>`).text().replace(/\s+/g, ' ').trim();

/**
 * sii.cl's news index renders its list from a script array, e.g.
 *   arrayIndice = [['141125noti01ms', '14/11/2025', 'SII informa …', 'img/n1.jpg'], …]
 * so the HTML alone has no links. Any array of 3+ strings whose first element is a news code or
 * a page/PDF path is read as one item: the link from the first element, the date from the first
 * element that parses as one (or from the news code), the title from the longest other text.
 */
export function itemsFromScript(script: string, pageUrl: string): ParsedNewsItem[] {
  const out: ParsedNewsItem[] = [];
  for (const tuple of script.matchAll(TUPLE)) {
    const parts = [...tuple[1].matchAll(ELEMENT)].map((m) => unquote(m[0]).trim());
    const [first, ...rest] = parts;
    if (!NEWS_ID.test(first) && !DOC_PATH.test(first)) continue;
    let link: string;
    try {
      link = new URL(NEWS_ID.test(first) ? `${first}.htm` : first, pageUrl).toString();
    } catch {
      continue;
    }
    const date = rest.map(parseSpanishDate).find(Boolean) ?? dateFromNewsCode(link);
    const texts = rest.filter((p) => !IMAGE.test(p) && !parseSpanishDate(p) && p.length > 0).map(plain);
    const title = texts.sort((a, b) => b.length - a.length)[0];
    if (!title || title.length < 8) continue;
    out.push({ title, link, date: date ?? null, excerpt: '', source_url: pageUrl });
  }
  return out;
}
