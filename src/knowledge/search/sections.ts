/** A `## heading` block of a Markdown document (index 0 is the lead, before any heading). */
export interface Section {
  index: number;
  heading: string;
  /** The block's Markdown, heading line included. */
  text: string;
}

const HEADING = /^#{2,3}\s+(.+?)\s*#*\s*$/;

/** Splits a Markdown body at `##`/`###` headings; a leading `# Title` line is dropped from the lead. */
export function splitSections(markdown: string): Section[] {
  const sections: Section[] = [];
  let heading = '';
  let lines: string[] = [];
  const flush = () => {
    const text = lines.join('\n').trim();
    if (text) sections.push({ index: sections.length, heading, text });
  };
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const m = inFence ? null : HEADING.exec(line);
    if (m) {
      flush();
      heading = m[1];
      lines = [line];
    } else if (!(sections.length === 0 && !heading && /^#\s/.test(line))) {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

/** Cuts text at the last paragraph or sentence end that fits in `max` characters. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const slice = text.slice(0, Math.max(0, max - 1));
  const cut = Math.max(slice.lastIndexOf('\n\n'), slice.lastIndexOf('. '), slice.lastIndexOf('\n'));
  return (cut > max * 0.5 ? slice.slice(0, cut + 1) : slice).trimEnd() + '…';
}

/**
 * The content a chat prompt gets for one hit: whole document when it fits `budget`; otherwise
 * the lead plus the best-ranked sections (ranked by the section index, best first), shown in
 * document order so numbered steps still read top-down.
 */
export function buildExcerpt(markdown: string, rankedSectionIndexes: number[], budget: number): string {
  if (budget <= 0 || markdown.length <= budget) return markdown;
  return buildExcerptFrom(markdown, splitSections(markdown), rankedSectionIndexes, budget);
}

/** buildExcerpt with the document's sections already split (`splitSections(markdown)`, done once at load time). */
export function buildExcerptFrom(
  markdown: string,
  sections: readonly Section[],
  rankedSectionIndexes: number[],
  budget: number,
): string {
  if (budget <= 0 || markdown.length <= budget) return markdown;
  const lead = sections.find((s) => s.index === 0 && !s.heading);
  const chosen = new Map<number, string>();
  let used = 0;
  const take = (s: Section, room: number) => {
    const text = truncate(s.text, room);
    chosen.set(s.index, text);
    used += text.length + 2;
  };
  if (lead) take(lead, Math.min(lead.text.length, Math.floor(budget / 3)));
  const ranked = rankedSectionIndexes.length ? rankedSectionIndexes : sections.map((s) => s.index);
  let taken = 0;
  for (const i of ranked) {
    const s = sections[i];
    if (!s || chosen.has(i)) continue;
    const room = budget - used;
    if (room < 120) break;
    // The best section always shows (cut if it must be); later ones only when they fit whole.
    if (s.text.length <= room || taken === 0) {
      take(s, room);
      taken++;
    }
  }
  return [...chosen.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, t]) => t)
    .join('\n\n');
}
