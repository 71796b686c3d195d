import {
  fromAnthropicUsage,
  fromOpenAiUsage,
  mergeAnthropicUsage,
  promptLength,
  promptText,
  usageSoFar,
} from './usage';
import type { LlmRequest } from './llm.types';

describe('usage normalization', () => {
  it.each([
    [
      'plain input/output',
      { input_tokens: 100, output_tokens: 20 },
      { input_tokens: 100, output_tokens: 20, cache_read_tokens: 0, cache_write_tokens: 0, cache_write_1h_tokens: 0 },
    ],
    [
      'cache read and 5m write without the split object',
      { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 900, cache_creation_input_tokens: 300 },
      { input_tokens: 10, output_tokens: 5, cache_read_tokens: 900, cache_write_tokens: 300, cache_write_1h_tokens: 0 },
    ],
    [
      '5m / 1h split',
      {
        input_tokens: 10,
        output_tokens: 5,
        cache_creation_input_tokens: 400,
        cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 300 },
      },
      { input_tokens: 10, output_tokens: 5, cache_read_tokens: 0, cache_write_tokens: 100, cache_write_1h_tokens: 300 },
    ],
    [
      'nulls as the SDK types allow',
      { input_tokens: 7, output_tokens: 1, cache_read_input_tokens: null, cache_creation: null },
      { input_tokens: 7, output_tokens: 1, cache_read_tokens: 0, cache_write_tokens: 0, cache_write_1h_tokens: 0 },
    ],
  ])('Anthropic: %s', (_n, wire, expected) => {
    expect(fromAnthropicUsage(wire)).toEqual(expected);
  });

  it.each([
    [
      'no cache',
      { prompt_tokens: 120, completion_tokens: 30 },
      { input_tokens: 120, output_tokens: 30, cache_read_tokens: 0 },
    ],
    [
      'cached tokens are taken out of prompt_tokens',
      { prompt_tokens: 1200, completion_tokens: 30, prompt_tokens_details: { cached_tokens: 1024 } },
      { input_tokens: 176, output_tokens: 30, cache_read_tokens: 1024 },
    ],
    ['missing usage (OpenAI-compatible servers)', null, { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0 }],
  ])('OpenAI: %s', (_n, wire, expected) => {
    expect(fromOpenAiUsage(wire)).toMatchObject({ ...expected, cache_write_tokens: 0, cache_write_1h_tokens: 0 });
  });

  it("merges message_delta's cumulative usage over message_start's, keeping what delta leaves null", () => {
    const start = { input_tokens: 50, output_tokens: 1, cache_read_input_tokens: 800 };
    const delta = { output_tokens: 42, input_tokens: null, cache_read_input_tokens: null };
    expect(fromAnthropicUsage(mergeAnthropicUsage(start, delta))).toMatchObject({
      input_tokens: 50,
      output_tokens: 42,
      cache_read_tokens: 800,
    });
  });

  it('estimates an early-ended attempt: reported prompt kept, output at least the text produced', () => {
    const req: LlmRequest = {
      operation: 'chat',
      system: 'x'.repeat(400),
      messages: [{ role: 'user', content: 'hola' }],
    };
    expect(usageSoFar(undefined, req, 'a'.repeat(40))).toMatchObject({ input_tokens: 102, output_tokens: 10 });
    const reported = fromAnthropicUsage({ input_tokens: 5, cache_read_input_tokens: 90, output_tokens: 1 });
    expect(usageSoFar(reported, req, 'a'.repeat(40))).toMatchObject({
      input_tokens: 5,
      cache_read_tokens: 90,
      output_tokens: 10,
    });
  });
});

describe('promptLength', () => {
  it.each([
    [{ operation: 'chat', system: 'sys', messages: [{ role: 'user', content: 'hola' }] }],
    [
      {
        operation: 'chat',
        system: 'sys',
        context: 'ctx',
        volatile: 'vol',
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: 'bb' },
          { role: 'user', content: '' },
        ],
      },
    ],
    [{ operation: 'chat', system: '', messages: [] }],
  ])('equals the length of promptText without building it (%#)', (r) => {
    expect(promptLength(r as LlmRequest)).toBe(promptText(r as LlmRequest).length);
  });
});
