/** DI token: the ordered provider chain (anthropic → openai → offline; unconfigured ones left out). */
export const LLM_PROVIDERS = Symbol('LLM_PROVIDERS');
