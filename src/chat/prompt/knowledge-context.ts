import type { KnowledgeHit } from '../../knowledge/knowledge.types';
import type { KnowledgePassage, LlmMessage } from '../../llm/llm.types';

/** Each document is cut so three of them stay around two thousand tokens. */
export const DOC_MAX_CHARS = 2500;
const PREVIOUS_QUESTION_CHARS = 200;

/** A message of at most this many words (3+ letters or digits) reads as a follow-up ("¿y cómo lo renuevo?"). */
const FOLLOW_UP_MAX_WORDS = 5;

function isFollowUp(message: string): boolean {
  let words = 0;
  for (const _ of message.matchAll(/[\p{L}\p{N}]{3,}/gu)) if (++words > FOLLOW_UP_MAX_WORDS) return false;
  return true;
}

/**
 * The search query: a short message plus the tail of the previous user question, so a follow-up
 * like "¿y si es exenta?" still finds the documents the conversation is about. A longer message
 * names its own topic and is searched alone: the previous question's words would only pull in the
 * documents of the earlier topic (and double the terms to search).
 */
export function knowledgeQuery(message: string, history: readonly LlmMessage[]): string {
  if (!isFollowUp(message)) return message;
  const previous = [...history].reverse().find((m) => m.role === 'user');
  if (!previous) return message;
  return `${message} ${previous.content.slice(-PREVIOUS_QUESTION_CHARS)}`;
}

/** Below this BM25 score a hit shares a word or two with the question, not its topic. */
const MIN_HIT_SCORE = 5;
/** Hits far behind the best one add tokens, not answers. */
const RELATIVE_HIT_CUTOFF = 0.2;

/** The hits worth giving to the model (and citing as sources). Pure. */
export function relevantHits(hits: readonly KnowledgeHit[]): KnowledgeHit[] {
  const top = Math.max(0, ...hits.map((h) => h.score));
  return hits.filter((h) => h.score >= MIN_HIT_SCORE && h.score >= top * RELATIVE_HIT_CUTOFF);
}

export function toPassages(hits: readonly KnowledgeHit[]): KnowledgePassage[] {
  return hits.map((h) => ({
    title: h.title,
    content: clip(h.content),
    score: h.score,
    sources: h.sources,
    reviewed: h.reviewed,
  }));
}

/** What an answer cites: each document used, with the legal sources it rests on and its review date. */
export interface PassageReference {
  title: string;
  sources: string[];
  reviewed: string | null;
}

export function passageReferences(passages: readonly KnowledgePassage[]): PassageReference[] {
  return passages.map((p) => ({ title: p.title, sources: p.sources ?? [], reviewed: p.reviewed || null }));
}

/**
 * The documentation block placed in the cached prompt prefix, right after the plugin prompt. Each
 * document carries its sources so the model can cite the law or resolution behind what it says.
 */
export function knowledgeContext(passages: readonly KnowledgePassage[]): string | undefined {
  if (!passages.length) return undefined;
  const docs = passages
    .map((p, i) => {
      const cited = p.sources?.length ? `\nFuentes (revisado ${p.reviewed ?? 's/f'}): ${p.sources.join('; ')}` : '';
      return `### Documento ${i + 1}: ${p.title}${cited}\n${p.content}`;
    })
    .join('\n\n');
  return `Documentación de referencia (base de conocimiento del servicio):\n\n${docs}`;
}

function clip(text: string): string {
  return text.length > DOC_MAX_CHARS ? `${text.slice(0, DOC_MAX_CHARS - 1)}…` : text;
}
