import { DomainError, ErrorCode } from '../../src/common/domain-error';
import { statusForCode } from '../../src/common/error-response';
import { CostService } from '../../src/cost/cost.service';
import { chatRequest, collect, fakeEnv, LlmHarness, metricValue, startLlm, useFakeProviders } from './llm-harness';

/** What goes over the wire (caching blocks, OpenAI parameters) and what comes back (usage, cost). */
describe('LLM requests on the wire', () => {
  const fake = useFakeProviders();

  describe('with prompt caching on (default)', () => {
    let h: LlmHarness;
    beforeAll(async () => (h = await startLlm(fake.env())));
    afterAll(() => h.close());

    it('sends system + context as the cached prefix and the volatile part after the breakpoint, and no sampling parameters', async () => {
      await h.llm.complete(chatRequest());
      const body = fake.anthropic.lastRequest!.body;
      expect(body.system).toEqual([
        { type: 'text', text: chatRequest().system },
        { type: 'text', text: chatRequest().context, cache_control: { type: 'ephemeral' } },
        { type: 'text', text: chatRequest().volatile },
      ]);
      // API version 2026-10-21 refuses temperature (the fake does too, with a 400).
      expect(body.temperature).toBeUndefined();
      expect(body.max_tokens).toBe(2048);
    });

    it('puts the breakpoint on the system prompt when there is no knowledge context', async () => {
      await h.llm.complete(chatRequest({ context: undefined, volatile: undefined }));
      expect(fake.anthropic.lastRequest!.body.system).toEqual([
        { type: 'text', text: chatRequest().system, cache_control: { type: 'ephemeral' } },
      ]);
    });

    it('reports cache writes, then cache reads, never counted again as input, and prices them', async () => {
      const req = chatRequest({ context: 'Contexto estable número ' + Date.now() });
      const tokensBefore = await metricValue('llm_tokens_total', { provider: 'anthropic', type: 'cache_read' });
      const first = await h.llm.complete(req);
      const second = await h.llm.complete(req);
      expect(first.usage.cache_write_tokens).toBeGreaterThan(0);
      expect(first.usage.cache_read_tokens).toBe(0);
      expect(second.usage.cache_read_tokens).toBe(first.usage.cache_write_tokens);
      expect(second.usage.cache_write_tokens).toBe(0);
      expect(second.usage.input_tokens).toBe(first.usage.input_tokens); // only the uncached tail
      expect(second.cost_usd).toBeLessThan(first.cost_usd); // 0.1× reads vs 1.25× writes
      expect(await metricValue('llm_tokens_total', { provider: 'anthropic', type: 'cache_read' })).toBe(
        tokensBefore + second.usage.cache_read_tokens,
      );
    });

    it('splits 1-hour cache writes from 5-minute ones', async () => {
      fake.anthropic.reply({
        text: 'ok',
        usage: {
          cache_creation_input_tokens: 120,
          cache_creation: { ephemeral_5m_input_tokens: 20, ephemeral_1h_input_tokens: 100 },
        },
      });
      const r = await h.llm.complete(chatRequest());
      expect(r.usage).toMatchObject({ cache_write_tokens: 20, cache_write_1h_tokens: 100 });
      fake.anthropic.reply('Respuesta de prueba desde Anthropic falso.');
    });

    it('carries cache usage through streams too (message_start + cumulative message_delta)', async () => {
      const req = chatRequest({ context: 'Contexto de stream ' + Date.now() });
      await h.llm.complete(req);
      const s = await collect(h.llm.stream(req));
      expect(s.done!.usage.cache_read_tokens).toBeGreaterThan(0);
    });

    it('drops leading assistant turns (a stored welcome message) so the conversation opens with the user', async () => {
      await h.llm.complete(
        chatRequest({
          messages: [
            { role: 'assistant', content: 'Hola, soy el asistente.' },
            { role: 'user', content: 'Hola' },
          ],
        }),
      );
      expect(fake.anthropic.lastRequest!.body.messages).toEqual([{ role: 'user', content: 'Hola' }]);
    });
  });

  it('sends no cache_control at all with ENABLE_PROMPT_CACHING=false', async () => {
    const h = await startLlm({ ...fake.env(), ENABLE_PROMPT_CACHING: 'false' });
    try {
      const r = await h.llm.complete(chatRequest());
      expect(JSON.stringify(fake.anthropic.lastRequest!.body)).not.toContain('cache_control');
      expect(r.usage.cache_write_tokens + r.usage.cache_read_tokens).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('sends max_completion_tokens and no temperature to a GPT-5 model (which would answer 400 otherwise)', async () => {
    const h = await startLlm({
      ...fakeEnv(undefined, fake.openai.url),
      OPENAI_MODEL: 'gpt-5-mini',
      OPENAI_MAX_TOKENS: '900',
    });
    try {
      const r = await h.llm.complete(chatRequest({ temperature: 0.3 }));
      expect(r.provider).toBe('openai');
      const body = fake.openai.lastRequest!.body;
      expect(body).toMatchObject({ model: 'gpt-5-mini', max_completion_tokens: 900 });
      expect(body.max_tokens).toBeUndefined();
      expect(body.temperature).toBeUndefined();
      const s = await collect(h.llm.stream(chatRequest({ temperature: 0.3 })));
      expect(s.done!.provider).toBe('openai');
      expect(fake.openai.lastRequest!.body.temperature).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it('keeps temperature for a non-reasoning OpenAI model, and reports cached prompt tokens as cache reads', async () => {
    const h = await startLlm({ ...fakeEnv(undefined, fake.openai.url), OPENAI_MODEL: 'gpt-4.1-mini' });
    try {
      const req = chatRequest({ temperature: 0.3, system: 'Sistema estable ' + Date.now() + ' '.padEnd(400, 'x') });
      const first = await h.llm.complete(req);
      expect(fake.openai.lastRequest!.body).toMatchObject({ temperature: 0.3, max_completion_tokens: 2048 });
      expect(fake.openai.lastRequest!.body.messages[0].role).toBe('system');
      const second = await h.llm.complete(req);
      expect(first.usage.cache_read_tokens).toBe(0);
      expect(second.usage.cache_read_tokens).toBeGreaterThan(0);
      // prompt_tokens includes the cached ones: input is what is left.
      expect(second.usage.input_tokens + second.usage.cache_read_tokens).toBe(first.usage.input_tokens);
    } finally {
      await h.close();
    }
  });

  it('refuses a call estimated above MAX_ESTIMATED_COST_PER_REQUEST with COST_LIMIT_EXCEEDED (422), before calling', async () => {
    const h = await startLlm({ ...fake.env(), MAX_ESTIMATED_COST_PER_REQUEST: '0.0001' });
    try {
      const e = await h.llm.complete(chatRequest()).catch((x) => x);
      expect(e).toBeInstanceOf(DomainError);
      expect(e.code).toBe(ErrorCode.COST_LIMIT_EXCEEDED);
      expect(statusForCode(e.code)).toBe(422);
      expect(e.detail).toMatch(/límite de US\$ 0.0001/);
      const s = await collect(h.llm.stream(chatRequest()));
      expect(s.error).toMatchObject({ code: ErrorCode.COST_LIMIT_EXCEEDED });
      expect(s.deltas).toEqual([]);
      expect(fake.anthropic.requests).toHaveLength(0);
      expect(fake.openai.requests).toHaveLength(0);
    } finally {
      await h.close();
    }
  });

  it('reserves the worst case before each provider and records every attempt under one operation id', async () => {
    const h = await startLlm({ ...fake.env() });
    try {
      fake.anthropic.fault({ status: 500 });
      const r = await h.llm.complete(chatRequest({ operationId: 'op-fixed-1', maxTokens: 500 }));
      expect(r.operation_id).toBe('op-fixed-1');
      expect(h.reservations().map((x) => [x.operationId, x.provider])).toEqual([
        ['op-fixed-1', 'anthropic'],
        ['op-fixed-1', 'openai'],
      ]);
      // Worst case of Claude Sonnet: prompt as cache writes at 3.75 $/MTok + 500 output at 15 $/MTok.
      expect(h.reservations()[0].usd).toBeGreaterThan((500 * 15) / 1e6);
      expect(h.costRecords).toEqual([
        expect.objectContaining({
          operationId: 'op-fixed-1',
          provider: 'openai',
          outcome: 'success',
          operation: 'chat',
        }),
      ]);
      expect(fake.openai.lastRequest!.body.max_completion_tokens).toBe(500);
    } finally {
      await h.close();
    }
  });

  it("books each attempt's cost on the Chilean day of the service clock (CLOCK), not the machine's", async () => {
    // 02:30 UTC on 16 January is still the 15th in Santiago (UTC−3 in summer).
    const clock = { now: () => new Date('2020-01-16T02:30:00Z') };
    const h = await startLlm({ ...fake.env() }, { clock });
    try {
      const r = await h.llm.complete(chatRequest());
      const today = await h.module.get(CostService).report('today');
      expect(today).toMatchObject({ from: '2020-01-15', total_calls: 1 });
      expect(today.total_cost_usd).toBeCloseTo(r.cost_usd, 6);
    } finally {
      await h.close();
    }
  });
});

describe('LLM without any key', () => {
  let h: LlmHarness;
  beforeAll(async () => (h = await startLlm({})));
  afterAll(() => h.close());

  it('answers offline from the passages, with titles, saying no AI model wrote it', async () => {
    expect(h.llm.providerStates()).toEqual({ anthropic: 'not_configured', openai: 'not_configured' });
    const r = await h.llm.complete(
      chatRequest({
        messages: [{ role: 'user', content: '¿Cómo anulo una factura electrónica?' }],
        passages: [
          {
            title: 'Notas de crédito',
            content:
              '# Anulación\nPara anular una factura electrónica se emite una nota de crédito (tipo 61) que la referencia con código 1. El plazo no está limitado.',
            score: 2,
          },
          {
            title: 'Guías de despacho',
            content: 'La guía de despacho (tipo 52) acompaña el traslado de mercaderías y no es una factura de venta.',
            score: 0.4,
          },
        ],
      }),
    );
    expect(r).toMatchObject({ provider: 'offline', model: 'offline', cost_usd: 0, fallbacks: [] });
    expect(r.text).toMatch(/^Respuesta automática sin modelo de IA/);
    expect(r.text).toContain('**Notas de crédito**');
    expect(r.text).toContain('nota de crédito (tipo 61)');
    expect(h.logs.events(r.operation_id)).toEqual(['llm_offline_answer']);
  });

  it('streams the offline answer and finishes with done', async () => {
    const s = await collect(h.llm.stream(chatRequest()));
    expect(s.deltas.length).toBeGreaterThan(1);
    expect(s.done).toMatchObject({ provider: 'offline', text: s.text });
  });

  it('says honestly when the knowledge base has nothing on the question', async () => {
    const r = await h.llm.complete(
      chatRequest({ passages: [], messages: [{ role: 'user', content: 'receta de empanadas' }] }),
    );
    expect(r.text).toContain('no encontré información');
  });

  it('gives JSON callers valid JSON they can recognise', async () => {
    const r = await h.llm.complete(chatRequest({ operation: 'dte_validation', json: true }));
    expect(JSON.parse(r.text)).toMatchObject({ offline: true });
  });
});
