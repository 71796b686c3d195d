import { randomBytes } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { validateCronExpression } from 'cron';
import { pickConstraint } from '../common/request-validation-messages';
import { EnvSchema, SECRET_VARIABLES } from './env.schema';

export class ConfigValidationError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}

export interface ProviderConfig {
  apiKey?: string;
  model: string;
  maxTokens: number;
  baseUrl?: string;
}

const DEFAULT_SII_NEWS_URLS = [
  'https://www.sii.cl/noticias/2025/index.htm',
  'https://www.sii.cl/normativa_legislacion/circulares/2025/indcir2025.htm',
];

/** The typed, validated configuration. Modules inject this class; nobody reads process.env. */
export class AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly isProduction: boolean;
  readonly port: number;
  readonly logLevel: string;
  readonly swaggerEnabled: boolean;
  /** Written first in the OpenAPI document's `servers` (OPENAPI_SERVER_URL): where clients reach the service. */
  readonly openApiServerUrl?: string;
  /** Accepted API keys (comma-separated in AI_SERVICE_API_KEY, for rotation). */
  readonly apiKeys: string[];
  /** True when no key was configured and one was generated for this process (never in production). */
  readonly apiKeyGenerated: boolean;
  readonly anthropic: ProviderConfig;
  readonly openai: ProviderConfig;
  readonly llm: {
    timeoutMs: number;
    firstTokenTimeoutMs: number;
    streamIdleTimeoutMs: number;
    maxRetries: number;
    breakerThreshold: number;
    breakerHalfOpenMs: number;
    enablePromptCaching: boolean;
    maxEstimatedCostPerRequest: number;
    /** USD per Chilean day the alerts compare the day's spend with (llm_daily_budget_usd); 0: none. */
    dailyBudgetUsd: number;
    pricingOverrides?: Record<string, unknown>;
  };
  readonly chat: {
    sessionTtlSeconds: number;
    maxContextMessages: number;
    defaultTemperature: number;
    /** Bounds of one session's user context (keys, UTF-8 bytes of keys + JSON values). */
    contextMaxKeys: number;
    contextMaxBytes: number;
  };
  /** null means "no Redis configured": the store keeps everything in process memory. */
  readonly redis: { url: string; db: number } | null;
  readonly rateLimitPerMinute: number;
  readonly knowledgeBaseDir: string;
  readonly validationCacheTtlSeconds: number;
  /** Whole budget of the LLM review of one validation: Odoo's DTE client gives up after 10 s by default. */
  readonly validationLlmTimeoutMs: number;
  /** End-to-end budget of one validation (rate budget, cache, review, cost record); past it the rules answer. */
  readonly validationDeadlineMs: number;
  /** Validations per key and minute that may ask the LLM; beyond it the rules answer alone (never a 429). */
  readonly validationRateLimitPerMinute: number;
  /** `allowedPrivateHosts`: hosts the fetcher may reach on a private or loopback address (normally none). */
  readonly sii: { urls: string[]; cron?: string; allowedPrivateHosts: string[] };
  readonly shutdownGraceMs: number;
  /** The HTTP edge (docs/operations.md §12): timeouts for slow clients and how many proxies to believe. */
  readonly http: {
    /** Longest time to receive a whole request, headers and body (not the answer: SSE may stream longer). */
    requestTimeoutMs: number;
    /** Longest time to receive the headers; at most requestTimeoutMs. */
    headersTimeoutMs: number;
    /** An idle keep-alive socket is closed after this; above the ingress's own idle timeout. */
    keepAliveTimeoutMs: number;
    /** Proxies in front whose X-Forwarded-For entry is believed (0: the peer's address is the client's). */
    trustProxyHops: number;
  };

  constructor(init: AppConfig) {
    Object.assign(this, init);
    Object.freeze(this);
  }
}

function firstError(env: Record<string, unknown>): ConfigValidationError | null {
  const parsed = plainToInstance(EnvSchema, env, { excludeExtraneousValues: false });
  const errors = validateSync(parsed, { skipMissingProperties: false, forbidUnknownValues: false });
  if (!errors.length) return null;
  const e = errors[0];
  const reason = pickConstraint(e.constraints ?? {}, env[e.property])?.[1] ?? 'is invalid';
  const shown = SECRET_VARIABLES.has(e.property) ? '' : ` (got "${String(env[e.property])}")`;
  return new ConfigValidationError(e.property, `${reason.replace(e.property + ' ', '')}${shown}`);
}

function redisFrom(env: EnvSchema): AppConfig['redis'] {
  if (env.REDIS_URL) {
    const db = Number(new URL(env.REDIS_URL).pathname.replace('/', '') || 0);
    return { url: env.REDIS_URL, db };
  }
  if (!env.REDIS_HOST) return null;
  const db = env.REDIS_DB ?? 1;
  const auth = env.REDIS_PASSWORD ? `:${encodeURIComponent(env.REDIS_PASSWORD)}@` : '';
  return { url: `redis://${auth}${env.REDIS_HOST}:${env.REDIS_PORT ?? 6379}/${db}`, db };
}

/** Validates raw environment values; throws ConfigValidationError naming the first bad variable. */
export function buildAppConfig(raw: Record<string, string | undefined>): AppConfig {
  const env = Object.fromEntries(Object.entries(raw).filter(([k]) => /^[A-Z][A-Z0-9_]*$/.test(k)));
  const error = firstError(env);
  if (error) throw error;
  const v = plainToInstance(EnvSchema, env);
  const nodeEnv = (v.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  const isProduction = nodeEnv === 'production';

  const apiKeys = (v.AI_SERVICE_API_KEY ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (isProduction) {
    if (!apiKeys.length) throw new ConfigValidationError('AI_SERVICE_API_KEY', 'is required when NODE_ENV=production');
    if (apiKeys.some((k) => k.length < 32))
      throw new ConfigValidationError('AI_SERVICE_API_KEY', 'must be at least 32 characters per key in production');
  }
  const apiKeyGenerated = apiKeys.length === 0;
  if (apiKeyGenerated) apiKeys.push(randomBytes(24).toString('hex'));

  let pricingOverrides: Record<string, unknown> | undefined;
  if (v.LLM_PRICING_JSON) {
    try {
      pricingOverrides = JSON.parse(v.LLM_PRICING_JSON) as Record<string, unknown>;
    } catch {
      throw new ConfigValidationError('LLM_PRICING_JSON', 'must be a JSON object');
    }
  }
  if (v.SII_MONITOR_CRON) {
    const cron = validateCronExpression(v.SII_MONITOR_CRON);
    if (!cron.valid)
      throw new ConfigValidationError(
        'SII_MONITOR_CRON',
        `is not a valid cron expression (${cron.error?.message ?? 'invalid'})`,
      );
  }
  const siiUrls = v.SII_NEWS_URLS
    ? v.SII_NEWS_URLS.split(',')
        .map((u) => u.trim())
        .filter(Boolean)
    : DEFAULT_SII_NEWS_URLS;
  for (const u of siiUrls) {
    if (!/^https?:\/\/\S+$/.test(u)) throw new ConfigValidationError('SII_NEWS_URLS', `contains an invalid URL "${u}"`);
  }

  const requestTimeoutMs = v.HTTP_REQUEST_TIMEOUT_MS ?? 30000;
  const headersTimeoutMs = v.HTTP_HEADERS_TIMEOUT_MS ?? Math.min(10000, requestTimeoutMs);
  if (headersTimeoutMs > requestTimeoutMs)
    throw new ConfigValidationError(
      'HTTP_HEADERS_TIMEOUT_MS',
      `must not be greater than HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}) (got "${headersTimeoutMs}")`,
    );

  return new AppConfig({
    nodeEnv,
    isProduction,
    port: v.PORT ?? 8002,
    logLevel: v.LOG_LEVEL ?? 'info',
    swaggerEnabled: v.SWAGGER_ENABLED ? v.SWAGGER_ENABLED === 'true' : !isProduction,
    openApiServerUrl: v.OPENAPI_SERVER_URL?.replace(/\/+$/, ''),
    apiKeys,
    apiKeyGenerated,
    anthropic: {
      apiKey: v.ANTHROPIC_API_KEY,
      model: v.ANTHROPIC_MODEL ?? 'claude-sonnet-4-6',
      maxTokens: v.ANTHROPIC_MAX_TOKENS ?? 2048,
      baseUrl: v.ANTHROPIC_BASE_URL,
    },
    openai: {
      apiKey: v.OPENAI_API_KEY,
      model: v.OPENAI_MODEL ?? 'gpt-4.1-mini',
      maxTokens: v.OPENAI_MAX_TOKENS ?? 2048,
      baseUrl: v.OPENAI_BASE_URL,
    },
    llm: {
      timeoutMs: v.LLM_TIMEOUT_MS ?? 30000,
      firstTokenTimeoutMs: v.LLM_FIRST_TOKEN_TIMEOUT_MS ?? Math.min(v.LLM_TIMEOUT_MS ?? 30000, 15000),
      streamIdleTimeoutMs: v.LLM_STREAM_IDLE_TIMEOUT_MS ?? Math.min(v.LLM_TIMEOUT_MS ?? 30000, 10000),
      maxRetries: v.LLM_MAX_RETRIES ?? 1,
      breakerThreshold: v.LLM_BREAKER_THRESHOLD ?? 5,
      breakerHalfOpenMs: v.LLM_BREAKER_HALF_OPEN_MS ?? 30000,
      enablePromptCaching: v.ENABLE_PROMPT_CACHING ? v.ENABLE_PROMPT_CACHING === 'true' : true,
      maxEstimatedCostPerRequest: v.MAX_ESTIMATED_COST_PER_REQUEST ?? 1.0,
      dailyBudgetUsd: v.LLM_DAILY_BUDGET_USD ?? 10,
      pricingOverrides,
    },
    chat: {
      sessionTtlSeconds: v.CHAT_SESSION_TTL ?? 3600,
      maxContextMessages: v.CHAT_MAX_CONTEXT_MESSAGES ?? 10,
      defaultTemperature: v.CHAT_DEFAULT_TEMPERATURE ?? 0.7,
      contextMaxKeys: v.CHAT_CONTEXT_MAX_KEYS ?? 100,
      contextMaxBytes: v.CHAT_CONTEXT_MAX_BYTES ?? 64 * 1024,
    },
    redis: redisFrom(v),
    rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE ?? 120,
    knowledgeBaseDir: v.KNOWLEDGE_BASE_DIR ?? 'knowledge-base',
    validationCacheTtlSeconds: v.VALIDATION_CACHE_TTL ?? 3600,
    validationLlmTimeoutMs: v.VALIDATION_LLM_TIMEOUT_MS ?? 6000,
    validationDeadlineMs: v.VALIDATION_DEADLINE_MS ?? 7000,
    validationRateLimitPerMinute: v.VALIDATION_RATE_LIMIT_PER_MINUTE ?? 120,
    sii: {
      urls: siiUrls,
      cron: v.SII_MONITOR_CRON,
      allowedPrivateHosts: (v.SII_ALLOWED_PRIVATE_HOSTS ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    },
    shutdownGraceMs: v.SHUTDOWN_GRACE_MS ?? 10000,
    http: {
      requestTimeoutMs,
      headersTimeoutMs,
      keepAliveTimeoutMs: v.HTTP_KEEP_ALIVE_TIMEOUT_MS ?? 65000,
      trustProxyHops: v.TRUST_PROXY_HOPS ?? 0,
    },
  });
}
