import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const VALIDATIONS_TOTAL = 'dte_validations_total';
export const CACHE_HITS_TOTAL = 'dte_validation_cache_hits_total';
export const CACHE_MISSES_TOTAL = 'dte_validation_cache_misses_total';
export const LLM_REVIEWS_TOTAL = 'dte_validation_llm_reviews_total';

export const validationMetricProviders = [
  makeCounterProvider({
    name: VALIDATIONS_TOTAL,
    help: 'DTE validations answered (cached ones included), by recommendation',
    labelNames: ['recommendation'],
  }),
  makeCounterProvider({ name: CACHE_HITS_TOTAL, help: 'DTE validations served from the response cache' }),
  makeCounterProvider({
    name: CACHE_MISSES_TOTAL,
    help: 'DTE validations computed because the response cache had no answer (or was unavailable)',
  }),
  makeCounterProvider({
    name: LLM_REVIEWS_TOTAL,
    help: 'LLM reviews of DTE validations by outcome: ok, offline, invalid_answer (malformed JSON), failed (error, cost limit), rate_limited (over the validation budget), timeout (past VALIDATION_LLM_TIMEOUT_MS or the deadline)',
    labelNames: ['outcome'],
  }),
];
