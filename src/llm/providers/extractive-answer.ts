import type { KnowledgePassage } from '../llm.types';

const STOPWORDS = new Set(
  (
    'el la los las un una unos unas de del al a en y o u que por para con sin se su sus es son ser fue como mas más ' +
    'pero si no ya le lo les me mi mis te tu tus nos este esta estos estas ese esa eso esto hay muy tambien también ' +
    'cual cuál cuales cuáles que qué quien quién como cómo donde dónde cuando cuándo debo puedo hacer tengo tiene ' +
    'the and for with from this that what how'
  ).split(/\s+/),
);

/** Lowercase, no accents, no punctuation: "Cómo anulo una Factura?" → "como anulo una factura". */
export const normalize = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9ñ]+/g, ' ')
    .trim();

/** Crude stem: a 4-letter prefix meets "anulo", "anular", "anulación"; "facturas", "factura". */
const stem = (w: string) => w.slice(0, 4);

/** Content words of a query, stemmed. */
export function queryTerms(query: string): string[] {
  const words = normalize(query)
    .split(' ')
    .filter((w) => w.length >= 3 && !STOPWORDS.has(w));
  return [...new Set(words.map(stem))];
}

/** A sentence of a document and the heading of the section it sits under ('' in the lead). */
export interface Unit {
  heading: string;
  sentence: string;
}

/** Inline Markdown to plain text: links, emphasis, code marks. */
const plain = (s: string) =>
  s
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`>]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Words that make a sentence lean on the one before it ("Esto…", "Así…", "También…"): alone, such
 * a sentence reads wrong, so it is kept together with its predecessor.
 */
const LEANS_ON_PREVIOUS =
  /^(esto|esta|este|estos|estas|eso|esa|ese|ello|así|asi|también|tambien|además|ademas|tampoco|por eso|por lo tanto|en ese caso|en cambio|sin embargo|dicho|dicha)\b/i;

const SENTENCE_END = /(?<=[.!?:])\s+(?=[A-ZÁÉÍÓÚÑ¿¡0-9])/;

/** A table row → "cell — cell" (header and separator rows dropped), so tabulated answers survive. */
function tableRows(lines: string[]): string[] {
  const rows = lines.map((l) =>
    l
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => plain(c)),
  );
  return rows
    .filter((cells, i) => i > 0 && !cells.every((c) => /^:?-{2,}:?$/.test(c) || !c))
    .map((cells) => cells.filter(Boolean).join(' — '))
    .filter(Boolean)
    .map((row) => (/[.!?]$/.test(row) ? row : `${row}.`));
}

/**
 * Markdown to sentences, each with its section heading. Headings are context, never an answer on
 * their own (a lone "El documento aún no se envía al SII." reads as a statement about the user's
 * document); tables become one sentence per row; code fences are dropped.
 */
export function unitsOf(markdown: string): Unit[] {
  const units: Unit[] = [];
  let heading = '';
  let paragraph: string[] = [];
  let table: string[] = [];
  let inFence = false;
  const push = (text: string) => {
    const parts = text
      .split(SENTENCE_END)
      .map((p) => p.trim())
      .filter(Boolean);
    let previous: Unit | undefined;
    for (const part of parts) {
      if (previous && LEANS_ON_PREVIOUS.test(part)) {
        previous.sentence = `${previous.sentence} ${part}`;
        continue;
      }
      previous = { heading, sentence: part };
      units.push(previous);
    }
  };
  const flush = () => {
    if (paragraph.length) push(plain(paragraph.join(' ')));
    for (const row of tableRows(table)) units.push({ heading, sentence: row });
    paragraph = [];
    table = [];
  };
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) {
      flush();
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const h = /^\s*#{1,6}\s+(.*)$/.exec(line);
    if (h) {
      flush();
      heading = plain(h[1]).replace(/[.:]$/, '');
      continue;
    }
    if (/^\s*\|.*\|\s*$/.test(line)) {
      if (paragraph.length) push(plain(paragraph.join(' ')));
      paragraph = [];
      table.push(line);
      continue;
    }
    if (table.length) flush();
    if (!line.trim()) {
      flush();
      continue;
    }
    // A list item starts a new sentence group of its own.
    if (/^\s*(?:[-*+]|\d+[.)])\s+/.test(line)) {
      if (paragraph.length) push(plain(paragraph.join(' ')));
      paragraph = [line.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')];
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return units.filter((u) => u.sentence.length >= 25 && u.sentence.length <= 400 && /[a-záéíóúñ]/i.test(u.sentence));
}

/** The sentences of a Markdown text (headings and tables dropped into context, see `unitsOf`). */
export function sentencesOf(markdown: string): string[] {
  return unitsOf(markdown).map((u) => u.sentence);
}

export interface PickedSentence {
  title: string;
  sentence: string;
  /** Section heading the sentence belongs to ('' for the document's lead). */
  heading: string;
  score: number;
}

/**
 * The most relevant sentences, document by document in retrieval order, the best sentence of
 * each document first: the answer leads with the best passage of the best document. A sentence
 * scores the share of query stems found in it or in its section heading, weighted by its
 * passage's retrieval score; at most `perPassage` from one document and `max` overall. Weaker
 * documents only contribute sentences that reach half the best score; the best document always
 * contributes when anything in it matches.
 */
export function pickSentences(query: string, passages: KnowledgePassage[], max = 4, perPassage = 2): PickedSentence[] {
  const terms = queryTerms(query);
  if (!terms.length) return [];
  const topScore = Math.max(...passages.map((p) => p.score ?? 1), 1e-9);
  const perDocument = passages.map((p) => {
    const weight = 0.5 + 0.5 * ((p.score ?? 1) / topScore);
    return unitsOf(p.content)
      .map((u, order) => {
        const words = new Set(normalize(`${u.heading} ${u.sentence}`).split(' ').map(stem));
        const hits = terms.filter((t) => words.has(t)).length;
        return {
          title: p.title,
          sentence: u.sentence,
          heading: u.heading,
          score: (hits / terms.length) * weight,
          order,
        };
      })
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .slice(0, perPassage);
  });
  const best = Math.max(0, ...perDocument.flat().map((s) => s.score));
  const picked: PickedSentence[] = [];
  perDocument.forEach((sentences, i) => {
    for (const s of sentences) {
      if (picked.length >= max) return;
      if (i > 0 && s.score < best / 2) continue; // a weak match from a weaker document is noise
      picked.push({ title: s.title, sentence: s.sentence, heading: s.heading, score: s.score });
    }
  });
  return picked;
}

const OFFLINE_NOTICE =
  'Respuesta automática sin modelo de IA: el asistente de IA no está disponible en este momento, así que le muestro los fragmentos más pertinentes de la base de conocimiento.';

/** Lines of the open record shown in an offline answer (type, folio, partner, amounts come first). */
const RECORD_LINES = 10;

/**
 * The offline provider's honest answer: the open record's own data first (so "¿qué documento es
 * este y cuál es su total?" is answered from it), then what the knowledge base says, by document.
 */
export function extractiveAnswer(query: string, passages: KnowledgePassage[], record?: string): string {
  const picked = pickSentences(query, passages);
  const recordSection = record?.trim()
    ? `**Datos del registro abierto en Odoo**\n${record.trim().split('\n').slice(0, RECORD_LINES).join('\n')}`
    : undefined;
  if (!picked.length && recordSection) {
    return [
      OFFLINE_NOTICE,
      recordSection,
      'Para una respuesta elaborada, intente nuevamente cuando el asistente de IA esté disponible.',
    ].join('\n\n');
  }
  if (!picked.length) {
    return (
      'Respuesta automática sin modelo de IA: el asistente de IA no está disponible en este momento y no encontré ' +
      'información sobre su consulta en la base de conocimiento. Reformule la pregunta o intente nuevamente en unos minutos.'
    );
  }
  const byTitle = new Map<string, string[]>();
  for (const p of picked) {
    // The section heading says which case the sentence answers ("El SII lo aceptó: …").
    const line = p.heading ? `*${p.heading}:* ${p.sentence}` : p.sentence;
    byTitle.set(p.title, [...(byTitle.get(p.title) ?? []), line]);
  }
  const sections = [...byTitle].map(
    ([title, sentences]) => `**${title}**\n${sentences.map((s) => `- ${s}`).join('\n')}`,
  );
  const cited = passages.filter((p) => byTitle.has(p.title) && p.sources?.length);
  const sourcesSection = cited.length
    ? `**Fuentes**\n${cited.map((p) => `- ${p.title}: ${p.sources!.join('; ')}${p.reviewed ? ` (revisado ${p.reviewed})` : ''}`).join('\n')}`
    : undefined;
  return [
    OFFLINE_NOTICE,
    ...(recordSection ? [recordSection] : []),
    ...sections,
    ...(sourcesSection ? [sourcesSection] : []),
    'Para una respuesta elaborada, intente nuevamente cuando el asistente de IA esté disponible.',
  ].join('\n\n');
}
