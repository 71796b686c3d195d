import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { EnvSchema, SECRET_VARIABLES } from '../../src/config/env.schema';

/** The variable names existing deployments already set (the first service's and those added since): never renamed. */
export const CONTRACT_ENV = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_MODEL',
  'ANTHROPIC_MAX_TOKENS',
  'OPENAI_API_KEY',
  'OPENAI_MODEL',
  'OPENAI_MAX_TOKENS',
  'AI_SERVICE_API_KEY',
  'CHAT_SESSION_TTL',
  'CHAT_MAX_CONTEXT_MESSAGES',
  'CHAT_DEFAULT_TEMPERATURE',
  'REDIS_HOST',
  'REDIS_PORT',
  'REDIS_DB',
  'REDIS_PASSWORD',
  'PORT',
  'REDIS_URL',
  'ANTHROPIC_BASE_URL',
  'OPENAI_BASE_URL',
  'LLM_TIMEOUT_MS',
  'ENABLE_PROMPT_CACHING',
  'MAX_ESTIMATED_COST_PER_REQUEST',
  'RATE_LIMIT_PER_MINUTE',
  'KNOWLEDGE_BASE_DIR',
  'LOG_LEVEL',
  'NODE_ENV',
  'SWAGGER_ENABLED',
];

/** Every variable the service actually reads: the properties of the validated EnvSchema. */
export function schemaEnvNames(): string[] {
  const metas = getMetadataStorage().getTargetValidationMetadatas(EnvSchema, '', true, false);
  return [...new Set(metas.map((m) => m.propertyName))];
}

/** Credentials (the Secret's keys); REDIS_URL is secret-bearing too but never templated. */
export const SECRET_KEYS = ['AI_SERVICE_API_KEY', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'REDIS_PASSWORD'];
export { SECRET_VARIABLES };
