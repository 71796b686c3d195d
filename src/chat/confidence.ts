import type { ProviderName } from '../llm/llm.types';

export interface ConfidenceInput {
  provider: ProviderName;
  /** Retrieval scores of the documents actually given to the model. */
  scores: readonly number[];
  /** The caller sent the open record, so record questions are answered from data. */
  hasRecordContext: boolean;
}

/** What each provider starts from, and the most it can reach. Offline is extractive: much lower. */
const BASE: Record<ProviderName, number> = { anthropic: 60, openai: 55, offline: 20 };
const CEILING: Record<ProviderName, number> = { anthropic: 98, openai: 95, offline: 65 };

/**
 * Score at which a BM25 match counts as about two-thirds relevant. Measured on the knowledge base
 * (MiniSearch with boosts): on-topic questions score 50–130, loosely related ones 15–30, chit-chat < 5.
 */
const SCORE_SCALE = 20;

/** Relevance 0–1 of a retrieval score: saturating, so a strong match approaches 1, a weak one stays low. */
export function relevance(score: number): number {
  if (!Number.isFinite(score) || score <= 0) return 0;
  return 1 - Math.exp(-score / SCORE_SCALE);
}

/** 0–100: provider quality + how well the knowledge base matched + record context. Pure. */
export function computeConfidence({ provider, scores, hasRecordContext }: ConfidenceInput): number {
  const top = scores.length ? Math.max(...scores.map(relevance)) : 0;
  const coverage = Math.min(scores.filter((s) => relevance(s) >= 0.3).length, 3) / 3;
  const value = BASE[provider] + 28 * top + 6 * coverage + (hasRecordContext ? 8 : 0);
  return Math.round(Math.min(CEILING[provider], Math.max(0, value)) * 10) / 10;
}
