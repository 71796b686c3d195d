import { Transform } from 'class-transformer';
import {
  IsBooleanString,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
} from 'class-validator';

const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const URL_OPTS = { require_tld: false, require_protocol: true };

/** Every environment variable the service reads, each documented in .env.example. Values arrive as strings. */
export class EnvSchema {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(65535) PORT?: number;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsBooleanString() SWAGGER_ENABLED?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) OPENAPI_SERVER_URL?: string;

  @IsOptional() @IsString() AI_SERVICE_API_KEY?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString() ANTHROPIC_API_KEY?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() ANTHROPIC_MODEL?: string;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(64000) ANTHROPIC_MAX_TOKENS?: number;
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) ANTHROPIC_BASE_URL?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() OPENAI_API_KEY?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() OPENAI_MODEL?: string;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(128000) OPENAI_MAX_TOKENS?: number;
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) OPENAI_BASE_URL?: string;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(600000) LLM_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(600000) LLM_FIRST_TOKEN_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(600000) LLM_STREAM_IDLE_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(5) LLM_MAX_RETRIES?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(100) LLM_BREAKER_THRESHOLD?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(3600000) LLM_BREAKER_HALF_OPEN_MS?: number;
  @IsOptional() @Transform(emptyToUndefined) @IsBooleanString() ENABLE_PROMPT_CACHING?: string;
  @IsOptional() @Transform(toNumber) @IsNumber() @Min(0) MAX_ESTIMATED_COST_PER_REQUEST?: number;
  @IsOptional() @Transform(emptyToUndefined) @IsString() LLM_PRICING_JSON?: string;
  @IsOptional() @Transform(toNumber) @IsNumber() @Min(0) LLM_DAILY_BUDGET_USD?: number;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(60) @Max(2592000) CHAT_SESSION_TTL?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(200) CHAT_MAX_CONTEXT_MESSAGES?: number;
  @IsOptional() @Transform(toNumber) @IsNumber() @Min(0) @Max(2) CHAT_DEFAULT_TEMPERATURE?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(10) @Max(10000) CHAT_CONTEXT_MAX_KEYS?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(4096) @Max(1048576) CHAT_CONTEXT_MAX_BYTES?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() REDIS_HOST?: string;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(65535) REDIS_PORT?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(15) REDIS_DB?: number;
  @IsOptional() @Transform(emptyToUndefined) @IsString() REDIS_PASSWORD?: string;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(100000) RATE_LIMIT_PER_MINUTE?: number;
  @IsOptional() @Transform(emptyToUndefined) @IsString() KNOWLEDGE_BASE_DIR?: string;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(604800) VALIDATION_CACHE_TTL?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(600000) VALIDATION_LLM_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(60000) VALIDATION_DEADLINE_MS?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(1) @Max(100000) VALIDATION_RATE_LIMIT_PER_MINUTE?: number;
  @IsOptional() @Transform(emptyToUndefined) @IsString() SII_NEWS_URLS?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() SII_MONITOR_CRON?: string;
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[\w.:-]+( *, *[\w.:-]+)*$/, { message: 'must be a comma-separated list of host names or addresses' })
  SII_ALLOWED_PRIVATE_HOSTS?: string;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(600000) SHUTDOWN_GRACE_MS?: number;

  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(600000) HTTP_REQUEST_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(600000) HTTP_HEADERS_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(100) @Max(600000) HTTP_KEEP_ALIVE_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toNumber) @IsInt() @Min(0) @Max(10) TRUST_PROXY_HOPS?: number;
}

/** Variables whose value must never be echoed back in an error line. */
export const SECRET_VARIABLES = new Set([
  'AI_SERVICE_API_KEY',
  'ANTHROPIC_API_KEY',
  'OPENAI_API_KEY',
  'REDIS_PASSWORD',
  'REDIS_URL',
]);
