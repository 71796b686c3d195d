import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { logEvent } from '../common/log-event';
import { withTimeout } from '../common/with-timeout';
import { AppConfig } from '../config/app-config';
import { LlmService } from '../llm/llm.service';
import { ProviderName } from '../llm/llm.types';
import { RESPONSE_CACHE, ResponseCache } from '../store/store.port';
import { validationCacheKey } from './cache-key';
import type { DteEnvelope } from './dte-envelope.pipe';
import { buildReviewMessage, LlmReview, parseReview, REVIEW_SYSTEM_PROMPT } from './llm-review';
import { chileDate } from './rules/dates';
import { dteType } from './rules/identity.rules';
import { Check, Finding } from './rules/rule.types';
import { RULES_VERSION, runRules, RulesReport } from './rules/run-rules';
import { CLOCK, Clock } from './validation.tokens';
import { CACHE_HITS_TOTAL, CACHE_MISSES_TOTAL, LLM_REVIEWS_TOTAL, VALIDATIONS_TOTAL } from './validation.metrics';
import { confidenceOf, Recommendation, recommendationOf } from './verdict';

export type LlmReviewOutcome = 'ok' | 'offline' | 'invalid_answer' | 'failed';

export interface ValidationVerdict {
  confidence: number;
  errors: string[];
  warnings: string[];
  recommendation: Recommendation;
  checks: Check[];
  llm_used: ProviderName;
  llm_review: LlmReviewOutcome;
  findings: Finding[];
  notes?: string;
  cached: boolean;
  cost_usd: number;
  rules_version: string;
}

interface ReviewResult {
  outcome: LlmReviewOutcome;
  provider: ProviderName;
  review?: LlmReview;
  costUsd: number;
}

/** A cache that does not answer within this budget counts as a miss (Redis half-down must not stall Odoo). */
const CACHE_BUDGET_MS = 500;

/**
 * DTE pre-validation: the deterministic rules decide what is wrong; the LLM may add warnings and
 * lower the confidence but never turns a reject into send, and its failure leaves the rules'
 * verdict (never a fail-open "send"). Identical requests are answered from the response cache.
 */
@Injectable()
export class ValidationService {
  private readonly logger = new Logger('Validation');

  constructor(
    private readonly llm: LlmService,
    private readonly config: AppConfig,
    @Inject(RESPONSE_CACHE) private readonly cache: ResponseCache,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectMetric(VALIDATIONS_TOTAL) private readonly validations: Counter<string>,
    @InjectMetric(CACHE_HITS_TOTAL) private readonly cacheHits: Counter<string>,
    @InjectMetric(CACHE_MISSES_TOTAL) private readonly cacheMisses: Counter<string>,
    @InjectMetric(LLM_REVIEWS_TOTAL) private readonly llmReviews: Counter<string>,
  ) {}

  async validate(envelope: DteEnvelope): Promise<ValidationVerdict> {
    const started = performance.now();
    const today = chileDate(this.clock.now());
    const ttl = this.config.validationCacheTtlSeconds;
    const key = validationCacheKey({
      rulesVersion: RULES_VERSION,
      companyId: envelope.company_id,
      dte: envelope.dte_data,
      history: envelope.history,
      today,
    });

    const hit = ttl > 0 ? await this.cacheGet(key) : undefined;
    if (hit) {
      this.cacheHits.inc();
      return this.answered(envelope, { ...hit, cached: true, cost_usd: 0 }, started);
    }
    this.cacheMisses.inc();

    const report = runRules(envelope.dte_data, { today });
    const review = await this.review(envelope, report);
    const verdict = this.combine(report, review);
    // A failed review is transient: caching it would withhold the LLM's opinion on the retry.
    if (ttl > 0 && review.outcome !== 'failed') await this.cacheSet(key, verdict, ttl);
    return this.answered(envelope, verdict, started);
  }

  private combine(report: RulesReport, review: ReviewResult): ValidationVerdict {
    const ruleWarnings = report.warnings.map((f) => f.message);
    const llmWarnings = (review.review?.warnings ?? []).filter((w) => !ruleWarnings.includes(w));
    const warnings = [...ruleWarnings, ...llmWarnings];
    const errors = report.errors.map((f) => f.message);
    const confidence = confidenceOf({
      errors: errors.length,
      warnings: warnings.length,
      unverified: report.unverified,
      llmConfidence: review.review?.confidence,
    });
    return {
      confidence,
      errors,
      warnings,
      recommendation: recommendationOf(errors.length, warnings.length, confidence),
      checks: report.checks,
      llm_used: review.provider,
      llm_review: review.outcome,
      findings: report.findings,
      ...(review.review?.notes ? { notes: review.review.notes } : {}),
      cached: false,
      cost_usd: review.costUsd,
      rules_version: RULES_VERSION,
    };
  }

  /** Never throws: an LLM error, cost limit or nonsense answer leaves the rules' verdict alone. */
  private async review(envelope: DteEnvelope, report: RulesReport): Promise<ReviewResult> {
    let result;
    // Odoo's DTE client treats its own timeout (10 s by default) as "valid": a slow model must never
    // outlast it, so the review has its own budget and the rules' verdict answers in time.
    const signal = AbortSignal.timeout(this.config.validationLlmTimeoutMs);
    try {
      result = await this.llm.complete({
        operation: 'dte_validation',
        system: REVIEW_SYSTEM_PROMPT,
        messages: [{ role: 'user', content: buildReviewMessage(envelope.dte_data, envelope.history, report.findings) }],
        json: true,
        temperature: 0,
        maxTokens: 600,
        signal,
      });
    } catch (e) {
      // A review past its budget is told apart: it is the one that warns of Odoo's own timeout.
      this.llmReviews.inc({ outcome: signal.aborted ? 'timeout' : 'failed' });
      logEvent(
        this.logger,
        'dte_validation_llm_failed',
        {
          error: (e as Error)?.name ?? 'Error',
          code: (e as { code?: string })?.code,
          timed_out: signal.aborted,
          budget_ms: this.config.validationLlmTimeoutMs,
        },
        'warn',
      );
      return { outcome: 'failed', provider: 'offline', costUsd: 0 };
    }
    const costUsd = result.cost_usd ?? 0;
    if (result.provider === 'offline') {
      // Offline after paid providers failed is a transient failure (not cached); with none configured it is the steady state.
      const outcome = result.fallbacks?.length ? 'failed' : 'offline';
      this.llmReviews.inc({ outcome });
      return { outcome, provider: 'offline', costUsd };
    }
    const review = parseReview(result.text);
    if (!review) {
      this.llmReviews.inc({ outcome: 'invalid_answer' });
      logEvent(
        this.logger,
        'dte_validation_llm_invalid_answer',
        { provider: result.provider, model: result.model, answer_length: result.text.length },
        'warn',
      );
      return { outcome: 'invalid_answer', provider: result.provider, costUsd };
    }
    this.llmReviews.inc({ outcome: 'ok' });
    return { outcome: 'ok', provider: result.provider, review, costUsd };
  }

  private answered(envelope: DteEnvelope, verdict: ValidationVerdict, started: number): ValidationVerdict {
    this.validations.inc({ recommendation: verdict.recommendation });
    logEvent(this.logger, 'dte_validation_completed', {
      company_id: envelope.company_id,
      tipo_dte: dteType(envelope.dte_data)?.code ?? null,
      bare_body: envelope.bare,
      recommendation: verdict.recommendation,
      confidence: verdict.confidence,
      errors: verdict.errors.length,
      warnings: verdict.warnings.length,
      llm_used: verdict.llm_used,
      llm_review: verdict.llm_review,
      cached: verdict.cached,
      duration_ms: Math.round(performance.now() - started),
    });
    return verdict;
  }

  private async cacheGet(key: string): Promise<ValidationVerdict | undefined> {
    try {
      return await withTimeout(this.cache.get<ValidationVerdict>(key), CACHE_BUDGET_MS, 'validation cache get');
    } catch {
      return undefined;
    }
  }

  private async cacheSet(key: string, verdict: ValidationVerdict, ttl: number): Promise<void> {
    try {
      await withTimeout(this.cache.set(key, verdict, ttl), CACHE_BUDGET_MS, 'validation cache set');
    } catch {
      /* the answer stands; the next identical request recomputes it */
    }
  }
}
