import { ChatPlugin } from './chat-plugin';

type SelectionReason = 'module_hint' | 'keywords' | 'default';

export interface PluginSelection {
  plugin: ChatPlugin;
  reason: SelectionReason;
  /** Keyword score of the chosen plugin (0 for hints and the default). */
  score: number;
}

/** Lower case, accents removed, punctuation as spaces: "¿Guía de DESPACHO?" → "guia de despacho". */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * How strongly a message points to a plugin: each distinct keyword found as whole words (each word
 * may take a plural "s"/"es") counts its number of words, so "nota de credito" outweighs a lone "nota".
 */
export function keywordScore(message: string, keywords: readonly string[]): number {
  const text = ` ${normalizeText(message)} `;
  const seen = new Set<string>();
  let score = 0;
  for (const keyword of keywords) {
    const k = normalizeText(keyword);
    if (!k || seen.has(k)) continue;
    seen.add(k);
    const words = k.split(' ');
    if (new RegExp(` ${words.map((w) => `${escape(w)}(?:s|es)?`).join(' ')} `).test(text)) score += words.length;
  }
  return score;
}

/**
 * Explicit module hint first, then the best keyword score (ties go to the earlier plugin, i.e.
 * registry order), then the default plugin. Pure.
 */
export function selectPlugin(
  message: string,
  hint: string | undefined,
  plugins: readonly ChatPlugin[],
  fallback: ChatPlugin,
): PluginSelection {
  const normalizedHint = hint?.trim().toLowerCase();
  if (normalizedHint) {
    const byHint = plugins.find((p) => p.moduleHints.includes(normalizedHint));
    if (byHint) return { plugin: byHint, reason: 'module_hint', score: 0 };
  }
  let best: PluginSelection | undefined;
  for (const plugin of plugins) {
    const score = keywordScore(message, plugin.keywords);
    if (score > 0 && (!best || score > best.score)) best = { plugin, reason: 'keywords', score };
  }
  return best ?? { plugin: fallback, reason: 'default', score: 0 };
}
