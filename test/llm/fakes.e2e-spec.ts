import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { useFakeProviders } from './llm-harness';

/** The fakes must be understood by the official SDKs exactly as the real APIs are. */
describe('fake provider servers against the official SDKs', () => {
  const fake = useFakeProviders();
  let anthropic: Anthropic;
  let openai: OpenAI;

  beforeAll(() => {
    anthropic = new Anthropic({ apiKey: 'k', baseURL: fake.anthropic.url, maxRetries: 0, timeout: 2000 });
    openai = new OpenAI({ apiKey: 'k', baseURL: fake.openai.url, maxRetries: 0, timeout: 2000 });
  });

  const claudeParams = {
    model: 'claude-sonnet-4-6',
    max_tokens: 100,
    system: [
      { type: 'text' as const, text: 'Eres un asistente. '.repeat(20), cache_control: { type: 'ephemeral' as const } },
      { type: 'text' as const, text: 'Usuario: Ana' },
    ],
    messages: [{ role: 'user' as const, content: 'Hola' }],
  };

  it('answers Anthropic messages.create with usage and simulates the prompt cache', async () => {
    fake.anthropic.reply('Hola mundo');
    const first = await anthropic.messages.create(claudeParams);
    expect(first.content[0]).toEqual({ type: 'text', text: 'Hola mundo' });
    expect(first.usage.cache_creation_input_tokens).toBe(95);
    expect(first.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(95);
    const second = await anthropic.messages.create(claudeParams);
    expect(second.usage.cache_read_input_tokens).toBe(95);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    const h = fake.anthropic.requests[0].headers;
    expect(h['x-api-key'] ?? h.authorization).toMatch(/^(Bearer )?k$/);
    expect(h['anthropic-version']).toBeDefined();
  });

  it('streams Anthropic events through messages.stream', async () => {
    fake.anthropic.reply({ text: 'uno dos tres', usage: { output_tokens: 7 } });
    const stream = anthropic.messages.stream(claudeParams);
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const final = await stream.finalMessage();
    expect(deltas).toEqual(['uno ', 'dos ', 'tres']);
    expect(final.usage.output_tokens).toBe(7);
  });

  it('turns Anthropic faults into the SDK error classes', async () => {
    fake.anthropic.fault({ status: 529, retryAfter: 3, times: 1 });
    const e = await anthropic.messages.create(claudeParams).catch((x) => x);
    expect(e).toBeInstanceOf(Anthropic.InternalServerError);
    expect(e.status).toBe(529);
    expect(e.type).toBe('overloaded_error');
    expect(e.headers.get('retry-after')).toBe('3');

    fake.anthropic.fault({ overloadedEvent: true, times: 1 });
    const s = await anthropic.messages.create({ ...claudeParams, stream: true });
    const streamErr = await (async () => {
      for await (const _ of s) void _;
    })().catch((x) => x);
    expect(streamErr).toBeInstanceOf(Anthropic.APIError);
    expect(streamErr.type).toBe('overloaded_error');

    fake.anthropic.fault({ drop: true, times: 1 });
    await expect(anthropic.messages.create(claudeParams)).rejects.toBeInstanceOf(Anthropic.APIConnectionError);

    fake.anthropic.fault({ delayMs: 3000, times: 1 });
    await expect(anthropic.messages.create(claudeParams)).rejects.toBeInstanceOf(Anthropic.APIConnectionTimeoutError);

    fake.anthropic.fault({ malformed: true, times: 1 });
    await expect(anthropic.messages.create(claudeParams)).rejects.toMatchObject({ name: 'SyntaxError' });
  });

  it('cuts an Anthropic stream after n deltas', async () => {
    fake.anthropic.reply('a b c d e');
    fake.anthropic.fault({ streamCutAfter: 2 });
    const s = await anthropic.messages.create({ ...claudeParams, stream: true });
    const got: string[] = [];
    const err = await (async () => {
      for await (const ev of s)
        if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') got.push(ev.delta.text);
    })().catch((x) => x);
    expect(got).toEqual(['a ', 'b ']);
    expect(String(err)).toMatch(/terminated|closed|socket/i); // undici's TypeError from another realm
  });

  it('answers OpenAI chat completions with cached tokens, and refuses max_tokens for gpt-5', async () => {
    const params = {
      model: 'gpt-4.1-mini',
      messages: [
        { role: 'system' as const, content: 'x'.repeat(400) },
        { role: 'user' as const, content: 'hola' },
      ],
    };
    fake.openai.reply('Hola');
    const a = await openai.chat.completions.create(params);
    expect(a.choices[0].message.content).toBe('Hola');
    const b = await openai.chat.completions.create(params);
    expect(b.usage?.prompt_tokens_details?.cached_tokens).toBe(100);

    const bad = await openai.chat.completions
      .create({ ...params, model: 'gpt-5-mini', max_tokens: 10 })
      .catch((x) => x);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(bad.code).toBe('unsupported_parameter');
    const badTemp = await openai.chat.completions
      .create({ ...params, model: 'gpt-5-mini', temperature: 0.2 })
      .catch((x) => x);
    expect(badTemp.code).toBe('unsupported_value');
  });

  it('streams OpenAI chunks with the final usage chunk and [DONE]', async () => {
    fake.openai.reply('uno dos');
    const s = await openai.chat.completions.create({
      model: 'gpt-4.1-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hola' }],
    });
    const chunks = [];
    for await (const c of s) chunks.push(c);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.slice(1, 3).map((c) => c.choices[0].delta.content)).toEqual(['uno ', 'dos']);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(2);
  });

  it('turns OpenAI faults into the SDK error classes', async () => {
    const params = { model: 'gpt-4.1-mini', messages: [{ role: 'user' as const, content: 'hola' }] };
    fake.openai.fault({ status: 429, retryAfter: 2, times: 1 });
    const e = await openai.chat.completions.create(params).catch((x) => x);
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.code).toBe('rate_limit_exceeded');
    expect(e.headers.get('retry-after')).toBe('2');

    fake.openai.fault({ malformed: true, times: 1 });
    await expect(openai.chat.completions.create(params)).rejects.toMatchObject({ name: 'SyntaxError' });

    fake.openai.fault({ streamCutAfter: 1, times: 1 });
    const s = await openai.chat.completions.create({ ...params, stream: true });
    await expect(
      (async () => {
        for await (const _ of s) void _;
      })(),
    ).rejects.toMatchObject({ message: expect.stringMatching(/terminated|closed|socket/i) });
    expect(fake.openai.requests.map((r) => r.path)).toEqual([
      '/v1/chat/completions',
      '/v1/chat/completions',
      '/v1/chat/completions',
    ]);
  });
});
