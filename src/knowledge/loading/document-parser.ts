import matter from 'gray-matter';
import { KnowledgeDocument, SkippedDocument } from '../knowledge.types';

export type ParseResult = { ok: true; document: KnowledgeDocument } | { ok: false; problem: SkippedDocument };

const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{1,99}$/;
const MODULE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
const MIN_CONTENT_CHARS = 40;
const MAX_SOURCES = 30;
const MAX_SOURCE_CHARS = 500;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A review dated after tomorrow (UTC) is a typo, not a review. */
const MAX_FUTURE_MS = 24 * 3600 * 1000;

const refuseCode = () => {
  throw new Error('executable front matter is not allowed');
};

/**
 * Passing options also turns off gray-matter's process-wide cache (keyed by file text), so a
 * reload always sees a fresh object; `---js` front matter would be eval'd by gray-matter, so
 * those engines are replaced by a refusal.
 */
const MATTER_OPTIONS = { engines: { js: refuseCode, javascript: refuseCode } } as unknown as Parameters<
  typeof matter
>[1];

const fail = (file: string, field: string, reason: string): ParseResult => ({
  ok: false,
  problem: { file, field, reason },
});

function firstLine(message: unknown): string {
  return String(message ?? 'invalid')
    .split('\n')[0]
    .slice(0, 200);
}

/**
 * `reviewed: 2026-12-06` is read by YAML as a timestamp (a Date at UTC midnight); quoted, it is a
 * string. Both become the same YYYY-MM-DD day, or null when it is not a real calendar day.
 */
export function reviewDay(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return null;
  const m = ISO_DAY.exec(value.trim());
  if (!m) return null;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return date.toISOString().slice(0, 10) === m[0] ? m[0] : null;
}

function readSources(value: unknown): string[] | string {
  if (!Array.isArray(value))
    return 'must be a YAML list of the laws, resolutions or official pages the document rests on';
  if (!value.length) return 'must list at least one source';
  if (value.length > MAX_SOURCES) return `lists more than ${MAX_SOURCES} sources`;
  const bad = value.find((s) => typeof s !== 'string' || !s.trim() || s.length > MAX_SOURCE_CHARS);
  if (bad !== undefined)
    return `contains an empty, non-text or longer than ${MAX_SOURCE_CHARS} characters entry (${JSON.stringify(bad).slice(0, 80)})`;
  return [...new Set(value.map((s: string) => s.trim()))];
}

/**
 * One Markdown file → a document, or the first problem found (naming the field). Pure but for
 * `now`, which only bounds how far in the future a review date may be.
 */
export function parseDocument(file: string, raw: string, now: Date = new Date()): ParseResult {
  if (!raw.trimStart().startsWith('---'))
    return fail(file, 'front_matter', 'missing YAML front matter (--- block at the top)');
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(raw.replace(/^\uFEFF/, ''), MATTER_OPTIONS);
  } catch (e) {
    return fail(file, 'front_matter', `invalid YAML: ${firstLine(e?.message)}`);
  }
  const data = (parsed.data ?? {}) as Record<string, unknown>;

  const id = data.id;
  if (typeof id !== 'string' || !ID_PATTERN.test(id))
    return fail(file, 'id', 'must be a lower-case slug (letters, digits, "-", "_"; 2–100 characters)');

  const title = data.title;
  if (typeof title !== 'string' || !title.trim()) return fail(file, 'title', 'is required and must be non-empty text');

  const tags = data.tags;
  if (!Array.isArray(tags)) return fail(file, 'tags', 'must be a YAML list, e.g. [factura, iva]');
  if (!tags.length) return fail(file, 'tags', 'must list at least one tag');
  const badTag = tags.find((t) => (typeof t !== 'string' && typeof t !== 'number') || !String(t).trim());
  if (badTag !== undefined) return fail(file, 'tags', `contains an empty or non-text tag (${JSON.stringify(badTag)})`);

  const module = data.module;
  if (typeof module !== 'string' || !MODULE_PATTERN.test(module))
    return fail(file, 'module', 'must be an Odoo module name such as l10n_cl_dte, account or hr_payroll');

  const sources = readSources(data.sources);
  if (typeof sources === 'string') return fail(file, 'sources', sources);

  const reviewed = reviewDay(data.reviewed);
  if (!reviewed) return fail(file, 'reviewed', 'must be the day of the last review against the sources, as YYYY-MM-DD');
  if (Date.parse(reviewed) > now.getTime() + MAX_FUTURE_MS)
    return fail(file, 'reviewed', `is in the future (${reviewed})`);

  const content = parsed.content.trim();
  if (content.length < MIN_CONTENT_CHARS)
    return fail(file, 'content', `the body is empty or shorter than ${MIN_CONTENT_CHARS} characters`);

  return {
    ok: true,
    document: {
      id,
      title: title.trim(),
      tags: [...new Set(tags.map((t) => String(t).trim().toLowerCase()))],
      module,
      sources,
      reviewed,
      content,
      file,
    },
  };
}
