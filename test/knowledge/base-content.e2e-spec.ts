import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import matter from 'gray-matter';
import { loadKnowledgeBase } from '../../src/knowledge/loading/knowledge-loader';
import { reviewDay } from '../../src/knowledge/loading/document-parser';

/**
 * The shipped knowledge base itself: every document says where its rules come from and when it
 * was last checked against them (the assistant cites them to accountants; offline they are the answer).
 */
const KB_DIR = join(__dirname, '..', '..', 'knowledge-base');

describe('knowledge base content (the shipped Markdown files)', () => {
  let files: string[];
  beforeAll(async () => {
    files = (await readdir(KB_DIR)).filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md');
  });

  it('loads every file, none skipped', async () => {
    const base = await loadKnowledgeBase(KB_DIR);
    expect(base.skipped).toEqual([]);
    expect(base.documents.map((d) => d.file).sort()).toEqual([...files].sort());
  });

  it('gives every document a list of sources and a review day in its front matter', async () => {
    const problems: string[] = [];
    for (const file of files) {
      const data = matter(await readFile(join(KB_DIR, file), 'utf8')).data as Record<string, unknown>;
      const sources = data.sources;
      if (!Array.isArray(sources) || !sources.length || sources.some((s) => typeof s !== 'string' || !s.trim()))
        problems.push(`${file}: sources`);
      if (!reviewDay(data.reviewed)) problems.push(`${file}: reviewed`);
    }
    expect(problems).toEqual([]);
  });

  it('says, next to every year- or law-dependent figure, from when it applies and that it must be checked', async () => {
    // Figures that change by year or by law: caps in UF, rates of the pension system, minimum wage,
    // withholding rates. Each document that states one carries the standard notice.
    const dated =
      /\b\d{1,3}(,\d+)? ?UF\b|ingreso mínimo|tope imponible|comisi[oó]n de la AFP|retenci[oó]n de honorarios|15,25 ?%|14,5 ?%/i;
    const missing: string[] = [];
    for (const file of files) {
      const body = matter(await readFile(join(KB_DIR, file), 'utf8')).content;
      if (dated.test(body) && !/vigente desde/i.test(body)) missing.push(file);
      if (dated.test(body) && !/verifi(que|car)/i.test(body)) missing.push(`${file} (no pide verificar)`);
    }
    expect(missing).toEqual([]);
  });
});
