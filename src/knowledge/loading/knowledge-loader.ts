import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { KnowledgeDocument, SkippedDocument } from '../knowledge.types';
import { parseDocument } from './document-parser';

export interface LoadedBase {
  documents: KnowledgeDocument[];
  skipped: SkippedDocument[];
  /** Set when the folder itself could not be read (missing, not a directory, no permission). */
  folderError?: string;
}

/** Files that describe the folder rather than belong to it. */
const IGNORED = new Set(['readme.md']);

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await markdownFiles(full)));
    else if (e.isFile() && e.name.toLowerCase().endsWith('.md') && !IGNORED.has(e.name.toLowerCase())) files.push(full);
  }
  return files;
}

/**
 * Reads every Markdown file under `dir` (sub-folders included, dot/underscore names and README
 * ignored). A bad document is reported in `skipped` and never stops the others; a duplicate id
 * keeps the first file in name order.
 */
export async function loadKnowledgeBase(dir: string): Promise<LoadedBase> {
  try {
    if (!(await stat(dir)).isDirectory()) return { documents: [], skipped: [], folderError: 'not a directory' };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return {
      documents: [],
      skipped: [],
      folderError: err?.code === 'ENOENT' ? 'folder does not exist' : String(err?.message ?? e),
    };
  }
  const documents: KnowledgeDocument[] = [];
  const skipped: SkippedDocument[] = [];
  const seen = new Map<string, string>();
  for (const path of await markdownFiles(dir)) {
    const file = relative(dir, path);
    let raw: string;
    try {
      raw = await readFile(path, 'utf8');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      skipped.push({ file, field: 'file', reason: `unreadable: ${err?.code ?? err?.message ?? String(e)}` });
      continue;
    }
    const result = parseDocument(file, raw);
    if (!result.ok) {
      skipped.push(result.problem);
      continue;
    }
    const previous = seen.get(result.document.id);
    if (previous) {
      skipped.push({ file, field: 'id', reason: `duplicate id "${result.document.id}" (already used by ${previous})` });
      continue;
    }
    seen.set(result.document.id, file);
    documents.push({ ...result.document, file });
  }
  return { documents, skipped };
}
