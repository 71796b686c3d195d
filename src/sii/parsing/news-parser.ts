import { CheerioAPI, load } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { ParsedNewsItem } from './news-item';
import { itemsFromScript } from './script-arrays';
import { dateFromNewsCode, parseSpanishDate, withoutDate } from './spanish-date';

const MAX_ITEMS_PER_PAGE = 100;
const MAX_EXCERPT = 600;
const MIN_TITLE = 8;

/** Page furniture whose links are never news. */
const CHROME = [
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'header',
  'footer',
  'form',
  'select',
  'iframe',
  '[role=navigation]',
  '[role=banner]',
  '[role=contentinfo]',
  '[class*=menu]',
  '[id*=menu]',
  '[class*=navbar]',
  '[class*=breadcrumb]',
  '[id*=breadcrumb]',
  '[class*=footer]',
  '[id*=footer]',
].join(', ');
/** Blocks that hold exactly one listing entry. */
const ENTRY = 'tr, li, article, dd, dt, [class*=noticia], [class*=news], [class*=item], [class*=resultado]';
const HEADING = 'h1, h2, h3, h4, h5, h6';
const GENERIC_LINK =
  /^(ver( m[aá]s)?|leer( m[aá]s)?|m[aá]s( informaci[oó]n)?|aqu[ií]|pdf|descargar|documento|link|enlace|detalle|\.{3}|»|>>?)$/i;
/** A link to one document rather than to a section: a PDF, a dated news page, a numbered circular/resolution. */
const DOCUMENT =
  /(\.(pdf|docx?|xlsx?)$)|(\/\d{6}noti\w*\.s?html?$)|(\/(circu|cir|reso|res|ofi|oficio)[\w-]*\d[\w-]*\.(s?html?|pdf)$)/i;
/** Yearly index pages (`indcir2024.htm`, `res_ind2024.htm`, `index.html`) are sections, not documents. */
const INDEX_PAGE = /\/(index|ind[a-z]*\d*|[a-z]+_ind\d*)\.s?html?$/i;
const isDocument = (pathname: string) => DOCUMENT.test(pathname) && !INDEX_PAGE.test(pathname);
const SKIP_HREF = /^(#|javascript:|mailto:|tel:|data:)/i;

const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

/**
 * Extracts the news items of an SII listing page: sii.cl news (script array), circulars and
 * resolutions (heading + summary blocks, or tables of number/date/subject), and plain lists of
 * links with dates. A link counts as an item when it carries a date or points to a document, and
 * it is outside the page's menus, header and footer. Pure: HTML in, items out (in page order,
 * de-duplicated by link).
 */
export function extractNews(html: string, pageUrl: string, max = MAX_ITEMS_PER_PAGE): ParsedNewsItem[] {
  const $ = load(html);
  const items: ParsedNewsItem[] = [];
  const seen = new Set<string>();
  const push = (item: ParsedNewsItem) => {
    const key = item.link ?? item.title.toLowerCase();
    if (seen.has(key) || items.length >= max) return;
    seen.add(key);
    items.push(item);
  };

  $('script').each((_, s) => {
    for (const item of itemsFromScript($(s).text(), pageUrl)) push(item);
  });

  $(CHROME).remove();
  const usedBlocks = new Set<AnyNode>();
  $('body a[href]').each((_, a) => {
    const item = fromAnchor($, a, pageUrl, usedBlocks);
    if (item) push(item);
  });
  return items;
}

function fromAnchor($: CheerioAPI, a: Element, pageUrl: string, usedBlocks: Set<AnyNode>): ParsedNewsItem | null {
  const href = ($(a).attr('href') ?? '').trim();
  if (!href || SKIP_HREF.test(href)) return null;
  let link: string;
  try {
    const u = new URL(href, pageUrl);
    if (!/^https?:$/.test(u.protocol)) return null;
    u.hash = '';
    link = u.toString();
  } catch {
    return null;
  }
  if (link === pageUrl.split('#')[0]) return null;

  const { block, extra } = entryOf($, a);
  if (block && usedBlocks.has(block)) return null;
  const anchorText = clean($(a).text());
  const blockText = block ? clean($(block).text()) : anchorText;
  const context = clean(`${blockText} ${extra}`);
  const date =
    parseSpanishDate(anchorText) ?? parseSpanishDate(context) ?? dateFromNewsCode(link) ?? dateBefore($, block ?? a);
  if (!date && !isDocument(new URL(link).pathname)) return null;

  const headingText = block ? clean($(block).find(HEADING).first().text()) : '';
  let title = anchorText;
  if (title.length < MIN_TITLE || GENERIC_LINK.test(title)) title = headingText || withoutDate(blockText);
  title = clip(title, 300);
  if (title.length < MIN_TITLE || GENERIC_LINK.test(title)) return null;
  if (block) usedBlocks.add(block);

  const excerpt = clip(clean(context.replace(title, ' ')), MAX_EXCERPT);
  return { title, link, date, excerpt, source_url: pageUrl };
}

/**
 * The block that holds this link's entry, plus text that belongs to it outside the block: a
 * heading's following paragraphs (`<h5><a>Circular N° 11…</a></h5><p>Imparte…</p>`).
 */
function entryOf($: CheerioAPI, a: Element): { block: AnyNode | null; extra: string } {
  const entry = $(a).closest(ENTRY);
  if (entry.length) return { block: entry[0], extra: '' };
  const heading = $(a).closest(HEADING);
  if (heading.length) {
    const after = heading.nextUntil(`${HEADING}, hr, table, ul, ol`).slice(0, 3);
    return { block: heading[0], extra: clean(after.text()) };
  }
  const parent = $(a).parent();
  if (parent.length && !parent.is('body') && clean(parent.text()).length <= MAX_EXCERPT)
    return { block: parent[0], extra: '' };
  return { block: null, extra: '' };
}

/** A date printed just before the entry (`<p class="fecha">…</p><h3><a>…</a></h3>`, `<dt>` before `<dd>`). */
function dateBefore($: CheerioAPI, node: AnyNode): string | null {
  const prev = $(node).prev();
  const text = prev.length ? clean(prev.text()) : '';
  return text && text.length <= 60 ? parseSpanishDate(text) : null;
}
