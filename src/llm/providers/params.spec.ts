import type { LlmRequest } from '../llm.types';
import { buildAnthropicParams } from './anthropic.params';
import { buildOpenAiParams, isReasoningModel } from './openai.params';

const req: LlmRequest = {
  operation: 'chat',
  system: 'SYS',
  context: 'CTX',
  volatile: 'VOL',
  messages: [
    { role: 'assistant', content: 'bienvenida' },
    { role: 'user', content: 'hola' },
  ],
  temperature: 0.7,
  maxTokens: 5000,
};

describe('Anthropic parameters', () => {
  it('caches system + context, leaves the volatile part after the breakpoint, and never sends temperature', () => {
    const p = buildAnthropicParams(req, { model: 'claude-sonnet-4-6', maxTokens: 2048, promptCaching: true });
    expect(p.system).toEqual([
      { type: 'text', text: 'SYS' },
      { type: 'text', text: 'CTX', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'VOL' },
    ]);
    expect(p.max_tokens).toBe(2048); // capped by ANTHROPIC_MAX_TOKENS
    expect(p.messages).toEqual([{ role: 'user', content: 'hola' }]);
    expect('temperature' in p).toBe(false);
  });

  it('no cache_control when caching is off; empty parts are skipped', () => {
    const p = buildAnthropicParams(
      { ...req, context: '  ', volatile: undefined },
      { model: 'm', maxTokens: 100, promptCaching: false },
    );
    expect(p.system).toEqual([{ type: 'text', text: 'SYS' }]);
  });
});

describe('OpenAI parameters', () => {
  it.each([
    ['gpt-5', true],
    ['gpt-5-mini', true],
    ['gpt-5.1', true],
    ['o3', true],
    ['o4-mini', true],
    ['o1-preview', true],
    ['gpt-4.1-mini', false],
    ['gpt-4o', false],
    ['llama3.1:8b', false],
    ['openai/gpt-5-nano', true],
    ['omni-model', false],
  ])('%s is a reasoning model: %s', (model, expected) => {
    expect(isReasoningModel(model)).toBe(expected);
  });

  it('sends max_completion_tokens, one system message, and temperature only to non-reasoning models', () => {
    const p = buildOpenAiParams(req, { model: 'gpt-4.1-mini', maxTokens: 1000 });
    expect(p).toMatchObject({ max_completion_tokens: 1000, temperature: 0.7 });
    expect(p.messages[0]).toEqual({ role: 'system', content: 'SYS\n\nCTX\n\nVOL' });
    expect('max_tokens' in p).toBe(false);
    const r = buildOpenAiParams(req, { model: 'gpt-5-mini', maxTokens: 1000 });
    expect('temperature' in r).toBe(false);
  });

  it('asks for a JSON object only when the prompt mentions JSON (the API refuses it otherwise)', () => {
    expect(
      buildOpenAiParams({ ...req, json: true, system: 'Responde solo JSON' }, { model: 'gpt-4.1-mini', maxTokens: 10 })
        .response_format,
    ).toEqual({ type: 'json_object' });
    expect(
      buildOpenAiParams({ ...req, json: true }, { model: 'gpt-4.1-mini', maxTokens: 10 }).response_format,
    ).toBeUndefined();
  });
});
