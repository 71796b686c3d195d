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
export const stem = (w: string) => w.slice(0, 4);

/** Content words of a query, stemmed. */
export function queryTerms(query: string): string[] {
  const words = normalize(query)
    .split(' ')
    .filter((w) => w.length >= 3 && !STOPWORDS.has(w));
  return [...new Set(words.map(stem))];
}

/** Markdown to plain sentences: no headings marks, fences, links syntax, list bullets or tables. */
export function sentencesOf(markdown: string): string[] {
  const text = markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/^\s*\|.*\|\s*$/gm, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s*#{1,6}\s*(.*)$/gm, '$1.')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '')
    .replace(/[*_`>]/g, '')
    .replace(/\s+/g, ' ');
  return text
    .split(/(?<=[.!?:])\s+(?=[A-ZÁÉÍÓÚÑ¿¡0-9])/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 25 && s.length <= 400 && /[a-záéíóúñ]/i.test(s));
}

export interface PickedSentence {
  title: string;
  sentence: string;
  score: number;
}

/**
 * The most relevant sentences: each scores the share of query stems it contains, weighted by its
 * passage's retrieval score; at most `perPassage` from one document, `max` overall, none below half
 * the best score, in the passages' order so the answer reads document by document.
 */
export function pickSentences(query: string, passages: KnowledgePassage[], max = 4, perPassage = 2): PickedSentence[] {
  const terms = queryTerms(query);
  if (!terms.length) return [];
  const topScore = Math.max(...passages.map((p) => p.score ?? 1), 1e-9);
  const picked: (PickedSentence & { order: number })[] = [];
  passages.forEach((p, pi) => {
    const weight = 0.5 + 0.5 * ((p.score ?? 1) / topScore);
    sentencesOf(p.content)
      .map((sentence, si) => {
        const words = normalize(sentence).split(' ').map(stem);
        const hits = terms.filter((t) => words.includes(t)).length;
        return { title: p.title, sentence, score: (hits / terms.length) * weight, order: pi * 1000 + si };
      })
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, perPassage)
      .forEach((s) => picked.push(s));
  });
  const best = Math.max(0, ...picked.map((s) => s.score));
  return picked
    .filter((s) => s.score >= best / 2) // a weak match next to strong ones is noise
    .sort((a, b) => b.score - a.score)
    .slice(0, max)
    .sort((a, b) => a.order - b.order)
    .map(({ order: _order, ...s }) => s);
}

export const OFFLINE_NOTICE =
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
  for (const p of picked) byTitle.set(p.title, [...(byTitle.get(p.title) ?? []), p.sentence]);
  const sections = [...byTitle].map(
    ([title, sentences]) => `**${title}**\n${sentences.map((s) => `- ${s}`).join('\n')}`,
  );
  return [
    OFFLINE_NOTICE,
    ...(recordSection ? [recordSection] : []),
    ...sections,
    'Para una respuesta elaborada, intente nuevamente cuando el asistente de IA esté disponible.',
  ].join('\n\n');
}
