import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { chileDay } from '../common/chile-time';
import { CLOCK, Clock } from '../common/clock';
import { logEvent } from '../common/log-event';
import { withTimeout } from '../common/with-timeout';
import { AppConfig } from '../config/app-config';
import { LlmService } from '../llm/llm.service';
import { ProviderName } from '../llm/llm.types';
import { RateBudget } from '../rate-limit/rate-budget.service';
import { RESPONSE_CACHE, ResponseCache } from '../store/response-cache.port';
import { validationCacheKey } from './cache-key';
import type { DteEnvelope } from './dte-envelope.pipe';
import { buildReviewMessage, LlmReview, parseReview, REVIEW_SYSTEM_PROMPT } from './llm-review';
import { dteType } from './rules/identity.rules';
import { Check, Finding } from './rules/rule.types';
import { RULES_VERSION, runRules, RulesReport } from './rules/run-rules';
import { CACHE_HITS_TOTAL, CACHE_MISSES_TOTAL, LLM_REVIEWS_TOTAL, VALIDATIONS_TOTAL } from './validation.metrics';
import { confidenceOf, Recommendation, recommendationOf } from './verdict';

/**
 * How the LLM review went: `ok`; `offline` (no provider configured); `invalid_answer`; `failed`
 * (error, cost limit, every paid provider failed, or an internal error); `rate_limited` (over
 * VALIDATION_RATE_LIMIT_PER_MINUTE: not asked); `timeout` (VALIDATION_DEADLINE_MS passed first).
 */
type LlmReviewOutcome = 'ok' | 'offline' | 'invalid_answer' | 'failed' | 'rate_limited' | 'timeout';

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

/** Who asks and how much of the deadline the request already spent before reaching the service. */
export interface ValidationRequest {
  /** Rate-limit tracker of the caller (its key's fingerprint); absent: not counted. */
  caller?: string;
  /** Milliseconds since the request arrived (auth, body, pipes). */
  elapsedMs?: number;
}

interface ReviewResult {
  outcome: LlmReviewOutcome;
  provider: ProviderName;
  review?: LlmReview;
  costUsd: number;
}

/** A cache that does not answer within this budget counts as a miss (Redis half-down must not stall Odoo). */
const CACHE_BUDGET_MS = 500;
/** Rate-limit name of the validation budget (its counters: `ratelimit:validation:key:<fingerprint>`). */
const BUDGET_NAME = 'validation';

/**
 * DTE pre-validation: the deterministic rules decide what is wrong; the LLM may add warnings and
 * lower the confidence but never turns a reject into send, and its failure leaves the rules'
 * verdict (never a fail-open "send"). Identical requests are answered from the response cache.
 *
 * Odoo's DTE clients read any non-200, and any answer after 10 s, as "valid": so whatever happens
 * after the envelope was accepted, the answer is a 200 verdict. The rules run first (bounded,
 * synchronous); everything that waits on something (rate budget, cache, review, cost record)
 * runs under one deadline, past which the rules' verdict answers; any error is caught here.
 */
@Injectable()
export class ValidationService {
  private readonly logger = new Logger('Validation');

  constructor(
    private readonly llm: LlmService,
    private readonly config: AppConfig,
    @Inject(RESPONSE_CACHE) private readonly cache: ResponseCache,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly budget: RateBudget,
    @InjectMetric(VALIDATIONS_TOTAL) private readonly validations: Counter<string>,
    @InjectMetric(CACHE_HITS_TOTAL) private readonly cacheHits: Counter<string>,
    @InjectMetric(CACHE_MISSES_TOTAL) private readonly cacheMisses: Counter<string>,
    @InjectMetric(LLM_REVIEWS_TOTAL) private readonly llmReviews: Counter<string>,
  ) {}

  async validate(envelope: DteEnvelope, request: ValidationRequest = {}): Promise<ValidationVerdict> {
    const started = performance.now();
    let today: string;
    let report: RulesReport;
    try {
      today = chileDay(this.clock.now());
      report = runRules(envelope.dte_data, { today });
    } catch (e) {
      this.internalError('rules', e);
      return this.answered(envelope, unverifiedVerdict(), started);
    }
    for (const { rule, error } of report.failures) this.internalError(`rule:${rule}`, error);

    const rulesOnly = (outcome: LlmReviewOutcome) => this.combine(report, { outcome, provider: 'offline', costUsd: 0 });
    // What answers if the deadline passes first: the rules alone, until a review completes.
    const best = { verdict: rulesOnly('timeout') };
    const remainingMs = this.config.validationDeadlineMs - (request.elapsedMs ?? 0);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), Math.max(0, remainingMs));
    timer.unref();
    const passed = new Promise<void>((resolve) => deadline.signal.addEventListener('abort', () => resolve()));
    try {
      const work = this.reviewed(envelope, report, today, request.caller, deadline.signal, best);
      const verdict = await Promise.race([work, passed.then(() => best.verdict)]);
      if (deadline.signal.aborted) this.deadlinePassed(envelope, verdict);
      return this.answered(envelope, verdict, started);
    } catch (e) {
      this.internalError('review', e);
      return this.answered(envelope, rulesOnly('failed'), started);
    } finally {
      clearTimeout(timer);
      deadline.abort();
    }
  }

  /** Cache, rate budget, LLM review, cache write: everything that waits, under the deadline's signal. */
  private async reviewed(
    envelope: DteEnvelope,
    report: RulesReport,
    today: string,
    caller: string | undefined,
    deadline: AbortSignal,
    best: { verdict: ValidationVerdict },
  ): Promise<ValidationVerdict> {
    const ttl = this.config.validationCacheTtlSeconds;
    const key =
      ttl > 0
        ? validationCacheKey({
            rulesVersion: RULES_VERSION,
            companyId: envelope.company_id,
            dte: envelope.dte_data,
            history: envelope.history,
            today,
          })
        : undefined;
    const [hit, admitted] = await Promise.all([
      key ? this.cacheGet(key) : undefined,
      caller ? this.budget.take(BUDGET_NAME, caller, this.config.validationRateLimitPerMinute) : true,
    ]);
    if (hit) {
      this.cacheHits.inc();
      return { ...hit, cached: true, cost_usd: 0 };
    }
    this.cacheMisses.inc();
    if (!admitted) {
      this.llmReviews.inc({ outcome: 'rate_limited' });
      return this.combine(report, { outcome: 'rate_limited', provider: 'offline', costUsd: 0 });
    }
    const review = await this.review(envelope, report, deadline);
    const verdict = this.combine(report, review);
    best.verdict = verdict;
    // A failed or cut-short review is transient: caching it would withhold the LLM's opinion on the retry.
    if (key && review.outcome !== 'failed' && review.outcome !== 'timeout') await this.cacheSet(key, verdict, ttl);
    return verdict;
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
  private async review(envelope: DteEnvelope, report: RulesReport, deadline: AbortSignal): Promise<ReviewResult> {
    let result;
    // The review has its own budget inside the request's deadline, so a slow model never outlasts Odoo's timeout.
    const own = AbortSignal.timeout(this.config.validationLlmTimeoutMs);
    try {
      result = await this.llm.complete({
        operation: 'dte_validation',
        system: REVIEW_SYSTEM_PROMPT,
        messages: [{ role: 'user', content: buildReviewMessage(envelope.dte_data, envelope.history, report.findings) }],
        json: true,
        temperature: 0,
        maxTokens: 600,
        signal: AbortSignal.any([own, deadline]),
      });
    } catch (e) {
      // Past the review's own budget or the request's deadline: told apart from other failures, as it is
      // the one that warns of Odoo's own timeout.
      const outcome = own.aborted || deadline.aborted ? 'timeout' : 'failed';
      this.llmReviews.inc({ outcome });
      logEvent(
        this.logger,
        'dte_validation_llm_failed',
        {
          error: (e as Error)?.name ?? 'Error',
          code: (e as { code?: string })?.code,
          timed_out: own.aborted,
          deadline_passed: deadline.aborted,
          budget_ms: this.config.validationLlmTimeoutMs,
        },
        'warn',
      );
      return { outcome, provider: 'offline', costUsd: 0 };
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
      cost_usd: verdict.cost_usd,
      cached: verdict.cached,
      duration_ms: Math.round(performance.now() - started),
    });
    return verdict;
  }

  /** A cached verdict, or undefined on a miss, a slow or failing cache, or an entry that is not a verdict. */
  private async cacheGet(key: string): Promise<ValidationVerdict | undefined> {
    let value: unknown;
    try {
      value = await withTimeout(this.cache.get<unknown>(key), CACHE_BUDGET_MS, 'validation cache get');
    } catch {
      return undefined;
    }
    if (value === undefined || value === null) return undefined;
    if (isVerdict(value)) return value;
    logEvent(this.logger, 'dte_validation_cache_corrupt', { key }, 'warn');
    return undefined;
  }

  private async cacheSet(key: string, verdict: ValidationVerdict, ttl: number): Promise<void> {
    try {
      await withTimeout(this.cache.set(key, verdict, ttl), CACHE_BUDGET_MS, 'validation cache set');
    } catch {
      /* the answer stands; the next identical request recomputes it */
    }
  }

  private deadlinePassed(envelope: DteEnvelope, verdict: ValidationVerdict) {
    logEvent(
      this.logger,
      'dte_validation_deadline_passed',
      {
        company_id: envelope.company_id,
        deadline_ms: this.config.validationDeadlineMs,
        llm_review: verdict.llm_review,
      },
      'warn',
    );
  }

  /** A bug, not an outage: logged with its stack, never shown to Odoo, never a non-200. */
  private internalError(stage: string, error: unknown) {
    this.logger.error({ event: 'dte_validation_internal_error', stage, err: error }, 'dte_validation_internal_error');
  }
}

const RECOMMENDATIONS: ReadonlySet<unknown> = new Set(['send', 'review', 'reject']);

/** The shape of a verdict this version wrote: anything else in the cache is read as a miss. */
function isVerdict(value: unknown): value is ValidationVerdict {
  const v = value as Partial<ValidationVerdict>;
  return (
    !!v &&
    typeof v === 'object' &&
    v.rules_version === RULES_VERSION &&
    RECOMMENDATIONS.has(v.recommendation) &&
    typeof v.confidence === 'number' &&
    [v.errors, v.warnings, v.checks, v.findings].every(Array.isArray) &&
    typeof v.llm_used === 'string' &&
    typeof v.llm_review === 'string'
  );
}

/** When even the rules could not run: nothing is known, so the document goes to a person (never "send"). */
function unverifiedVerdict(): ValidationVerdict {
  const warning =
    'No se pudo completar la validación automática del documento por un error interno del servicio; revíselo manualmente antes de enviarlo al SII.';
  return {
    confidence: 0,
    errors: [],
    warnings: [warning],
    recommendation: 'review',
    checks: [],
    llm_used: 'offline',
    llm_review: 'failed',
    findings: [],
    cached: false,
    cost_usd: 0,
    rules_version: RULES_VERSION,
  };
}
