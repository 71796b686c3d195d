/** How the rules' findings and the LLM's opinion become `confidence` and `recommendation`. Pure. */
export type Recommendation = 'send' | 'review' | 'reject';

/** Below this confidence a document with no findings still goes to review. */
const REVIEW_BELOW_CONFIDENCE = 70;

export interface VerdictInput {
  errors: number;
  /** Rules' warnings plus the LLM's. */
  warnings: number;
  /** Checks the rules could not verify because optional data was absent. */
  unverified: number;
  /** The LLM's own confidence, when its review was valid. */
  llmConfidence?: number;
}

/**
 * Confidence (0–100) that the SII will accept the document as sent:
 * - any error: the SII will reject it, so at most 20, minus 5 per further error;
 * - otherwise 100, minus 10 per warning and 5 per check that could not be verified;
 * - the LLM may only lower it: the result is the minimum of the rules' value and the LLM's.
 */
export function confidenceOf(v: VerdictInput): number {
  const rules =
    v.errors > 0 ? Math.max(0, 20 - 5 * (v.errors - 1)) : Math.max(0, 100 - 10 * v.warnings - 5 * v.unverified);
  const llm = v.llmConfidence === undefined ? 100 : Math.max(0, Math.min(100, Math.round(v.llmConfidence)));
  return Math.min(rules, llm);
}

/** Any error rejects; warnings or low confidence ask for review; otherwise send. */
export function recommendationOf(errors: number, warnings: number, confidence: number): Recommendation {
  if (errors > 0) return 'reject';
  if (warnings > 0 || confidence < REVIEW_BELOW_CONFIDENCE) return 'review';
  return 'send';
}
