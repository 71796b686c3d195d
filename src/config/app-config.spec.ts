import { buildAppConfig, ConfigValidationError } from './app-config';

const LONG_KEY = 'k'.repeat(32);

describe('buildAppConfig', () => {
  it('applies the contract defaults with an empty environment', () => {
    const c = buildAppConfig({});
    expect(c.port).toBe(8002);
    expect(c.chat).toEqual({
      sessionTtlSeconds: 3600,
      maxContextMessages: 10,
      defaultTemperature: 0.7,
      contextMaxKeys: 100,
      contextMaxBytes: 65536,
    });
    expect(c.anthropic.model).toBe('claude-sonnet-4-6');
    expect(c.openai.model).toBe('gpt-4.1-mini');
    expect(c.anthropic.maxTokens).toBe(2048);
    expect(c.llm.timeoutMs).toBe(30000);
    expect(c.llm.enablePromptCaching).toBe(true);
    expect(c.llm.maxEstimatedCostPerRequest).toBe(1.0);
    expect(c.llm.dailyBudgetUsd).toBe(10);
    expect(c.rateLimitPerMinute).toBe(120);
    expect(c.knowledgeBaseDir).toBe('knowledge-base');
    expect(c.redis).toBeNull();
    expect(c.swaggerEnabled).toBe(true);
    expect(c.logLevel).toBe('info');
  });

  it('generates a random key outside production when none is set', () => {
    const a = buildAppConfig({});
    const b = buildAppConfig({});
    expect(a.apiKeyGenerated).toBe(true);
    expect(a.apiKeys[0]).toMatch(/^[0-9a-f]{48}$/);
    expect(a.apiKeys[0]).not.toBe(b.apiKeys[0]);
  });

  it('accepts several comma-separated keys for rotation', () => {
    const c = buildAppConfig({ AI_SERVICE_API_KEY: ' old-key , new-key ,' });
    expect(c.apiKeys).toEqual(['old-key', 'new-key']);
    expect(c.apiKeyGenerated).toBe(false);
  });

  it.each([
    [{ NODE_ENV: 'production' }, 'AI_SERVICE_API_KEY', 'required'],
    [{ NODE_ENV: 'production', AI_SERVICE_API_KEY: 'short' }, 'AI_SERVICE_API_KEY', '32'],
    [{ NODE_ENV: 'production', AI_SERVICE_API_KEY: `${LONG_KEY},short` }, 'AI_SERVICE_API_KEY', '32'],
    [{ CHAT_DEFAULT_TEMPERATURE: '5' }, 'CHAT_DEFAULT_TEMPERATURE', '2'],
    [{ CHAT_DEFAULT_TEMPERATURE: 'warm' }, 'CHAT_DEFAULT_TEMPERATURE', ''],
    [{ PORT: '70000' }, 'PORT', ''],
    [{ PORT: 'abc' }, 'PORT', 'integer'],
    [{ REDIS_PORT: '0' }, 'REDIS_PORT', ''],
    [{ REDIS_DB: '16' }, 'REDIS_DB', ''],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL', 'redis://'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV', ''],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', ''],
    [{ ENABLE_PROMPT_CACHING: 'yes' }, 'ENABLE_PROMPT_CACHING', ''],
    [{ MAX_ESTIMATED_COST_PER_REQUEST: '-1' }, 'MAX_ESTIMATED_COST_PER_REQUEST', ''],
    [{ LLM_DAILY_BUDGET_USD: '-5' }, 'LLM_DAILY_BUDGET_USD', ''],
    [{ LLM_DAILY_BUDGET_USD: 'ten' }, 'LLM_DAILY_BUDGET_USD', ''],
    [{ CHAT_MAX_CONTEXT_MESSAGES: '0' }, 'CHAT_MAX_CONTEXT_MESSAGES', ''],
    [{ ANTHROPIC_BASE_URL: 'not a url' }, 'ANTHROPIC_BASE_URL', ''],
    [{ LLM_PRICING_JSON: '{oops' }, 'LLM_PRICING_JSON', 'JSON'],
    [{ SII_NEWS_URLS: 'ftp://sii.cl' }, 'SII_NEWS_URLS', ''],
    [{ SII_MONITOR_CRON: '99 * * * *' }, 'SII_MONITOR_CRON', 'out of range'],
    [{ SII_MONITOR_CRON: 'daily' }, 'SII_MONITOR_CRON', ''],
    [{ OPENAPI_SERVER_URL: 'ai-service:8002' }, 'OPENAPI_SERVER_URL', ''],
  ])('refuses %j naming %s', (env, variable, hint) => {
    let error: unknown;
    try {
      buildAppConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).variable).toBe(variable);
    expect((error as Error).message).toContain(variable);
    expect((error as Error).message).toContain(hint);
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });

  it('never echoes a secret value in the error line', () => {
    expect(() => buildAppConfig({ NODE_ENV: 'production', AI_SERVICE_API_KEY: 'secret-but-short' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-but-short') }),
    );
    expect(() => buildAppConfig({ REDIS_URL: 'http://user:hunter2@x' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });

  it('starts in production with long keys and turns Swagger off unless asked', () => {
    const c = buildAppConfig({ NODE_ENV: 'production', AI_SERVICE_API_KEY: LONG_KEY });
    expect(c.isProduction).toBe(true);
    expect(c.swaggerEnabled).toBe(false);
    expect(
      buildAppConfig({ NODE_ENV: 'production', AI_SERVICE_API_KEY: LONG_KEY, SWAGGER_ENABLED: 'true' }).swaggerEnabled,
    ).toBe(true);
  });

  it('builds the Redis URL from host/port/db/password, with db 1 by default', () => {
    expect(buildAppConfig({ REDIS_HOST: 'redis' }).redis).toEqual({ url: 'redis://redis:6379/1', db: 1 });
    expect(
      buildAppConfig({ REDIS_HOST: 'r', REDIS_PORT: '6380', REDIS_DB: '2', REDIS_PASSWORD: 'p@ss' }).redis,
    ).toEqual({
      url: 'redis://:p%40ss@r:6380/2',
      db: 2,
    });
  });

  it('lets REDIS_URL win over host/port/db', () => {
    expect(buildAppConfig({ REDIS_URL: 'redis://10.0.0.1:7000/3', REDIS_HOST: 'ignored' }).redis).toEqual({
      url: 'redis://10.0.0.1:7000/3',
      db: 3,
    });
  });

  it('treats empty strings as unset (docker-compose passes VAR= as empty)', () => {
    const c = buildAppConfig({ ANTHROPIC_API_KEY: '', REDIS_HOST: '', OPENAI_BASE_URL: '', ENABLE_PROMPT_CACHING: '' });
    expect(c.anthropic.apiKey).toBeUndefined();
    expect(c.redis).toBeNull();
    expect(c.llm.enablePromptCaching).toBe(true);
  });

  it('takes the OpenAPI server address without its trailing slash, and none by default', () => {
    expect(buildAppConfig({}).openApiServerUrl).toBeUndefined();
    expect(buildAppConfig({ OPENAPI_SERVER_URL: 'http://ai-service:8002/' }).openApiServerUrl).toBe(
      'http://ai-service:8002',
    );
  });

  it('ignores variables that are not ours', () => {
    expect(() => buildAppConfig({ PATH: '/usr/bin', 'weird-name': 'x', HOME: '/root' })).not.toThrow();
  });
});
