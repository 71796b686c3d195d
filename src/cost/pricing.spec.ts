import { emptyUsage, LlmUsage } from '../llm/llm.types';
import {
  costOf,
  DEFAULT_PRICING,
  findPrice,
  mergePricing,
  mergePricingChecked,
  UNKNOWN_MODEL_PRICE,
  worstCaseCost,
} from './pricing';

const usage = (u: Partial<LlmUsage>): LlmUsage => ({ ...emptyUsage(), ...u });
const M = 1_000_000;

describe('pricing table', () => {
  it.each([
    // model, input, output, cache write 5m, cache write 1h, cache read (USD / MTok)
    ['claude-sonnet-4-6', 3, 15, 3.75, 6, 0.3],
    ['claude-sonnet-4-5', 3, 15, 3.75, 6, 0.3],
    ['claude-opus-4-5', 5, 25, 6.25, 10, 0.5],
    ['claude-opus-4-1', 15, 75, 18.75, 30, 1.5],
    ['claude-haiku-4-5', 1, 5, 1.25, 2, 0.1],
    ['claude-3-5-haiku', 0.8, 4, 1, 1.6, 0.08],
    ['claude-3-haiku', 0.25, 1.25, 0.3125, 0.5, 0.025],
    ['gpt-4.1-mini', 0.4, 1.6, 0.4, 0.4, 0.1],
    ['gpt-4.1', 2, 8, 2, 2, 0.5],
    ['gpt-4o-mini', 0.15, 0.6, 0.15, 0.15, 0.075],
    ['gpt-5', 1.25, 10, 1.25, 1.25, 0.125],
    ['gpt-5-mini', 0.25, 2, 0.25, 0.25, 0.025],
    ['gpt-4-turbo-preview', 10, 30, 10, 10, 10],
  ])('%s costs %p in, %p out, %p/%p cache write, %p cache read', (model, input, output, w5, w1h, read) => {
    const p = DEFAULT_PRICING[model];
    expect(p.input).toBeCloseTo(input, 10);
    expect(p.output).toBeCloseTo(output, 10);
    expect(p.cacheWrite).toBeCloseTo(w5, 10);
    expect(p.cacheWrite1h).toBeCloseTo(w1h, 10);
    expect(p.cacheRead).toBeCloseTo(read, 10);
  });

  it('applies the contract multipliers to every Claude model (1.25×, 2×, 0.1× input)', () => {
    for (const [model, p] of Object.entries(DEFAULT_PRICING).filter(([m]) => m.startsWith('claude'))) {
      expect({ model, w5: p.cacheWrite / p.input, w1h: p.cacheWrite1h / p.input, read: p.cacheRead / p.input }).toEqual(
        {
          model,
          w5: 1.25,
          w1h: 2,
          read: expect.closeTo(0.1, 10),
        },
      );
    }
  });
});

describe('findPrice', () => {
  it.each([
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet'],
    ['gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4-turbo-preview', 'gpt-4-turbo-preview'],
    ['gpt-4-turbo-2024-04-09', 'gpt-4-turbo'],
    ['o3-mini-2025-01-31', 'o3-mini'],
  ])('prices the snapshot %s as %s', (model, family) => {
    expect(findPrice(model)).toEqual({ price: DEFAULT_PRICING[family], known: true });
  });

  it.each(['llama3:8b', 'mistral-large', 'claude', 'gpt-4x'])(
    'prices the unknown model %s at the dearest rate',
    (model) => {
      expect(findPrice(model)).toEqual({ price: UNKNOWN_MODEL_PRICE, known: false });
    },
  );
});

describe('costOf', () => {
  const sonnet = DEFAULT_PRICING['claude-sonnet-4-6'];
  it.each([
    ['plain input and output', { input_tokens: 1000, output_tokens: 500 }, (1000 * 3 + 500 * 15) / M],
    ['a 5-minute cache write at 1.25× input', { cache_write_tokens: 10_000 }, (10_000 * 3.75) / M],
    ['a 1-hour cache write at 2× input', { cache_write_1h_tokens: 10_000 }, (10_000 * 6) / M],
    ['a cache read at 0.1× input', { cache_read_tokens: 10_000 }, (10_000 * 0.3) / M],
    [
      'a cached turn, each token priced once at its own rate',
      { input_tokens: 200, output_tokens: 300, cache_read_tokens: 8000, cache_write_tokens: 1500 },
      (200 * 3 + 300 * 15 + 8000 * 0.3 + 1500 * 3.75) / M,
    ],
    ['nothing', {}, 0],
    ['negative and fractional counts as sane integers', { input_tokens: -5, output_tokens: 10.7 }, (10 * 15) / M],
  ])('prices %s', (_name, u, expected) => {
    expect(costOf(usage(u), sonnet)).toBeCloseTo(expected, 10);
  });

  it('prices OpenAI cached input at the model discount', () => {
    expect(
      costOf(
        usage({ input_tokens: 1000, cache_read_tokens: 4000, output_tokens: 100 }),
        DEFAULT_PRICING['gpt-4.1-mini'],
      ),
    ).toBeCloseTo((1000 * 0.4 + 4000 * 0.1 + 100 * 1.6) / M, 10);
  });

  it('rounds to 1e-8 USD', () => {
    expect(costOf(usage({ input_tokens: 1 }), DEFAULT_PRICING['gpt-5-nano'])).toBe(0.00000005);
  });
});

describe('worstCaseCost', () => {
  it('bills every prompt token at the dearest input rate plus the whole output budget', () => {
    expect(worstCaseCost(10_000, 2048, DEFAULT_PRICING['claude-sonnet-4-6'])).toBeCloseTo(
      (10_000 * 6 + 2048 * 15) / M,
      10,
    );
    expect(worstCaseCost(10_000, 2048, DEFAULT_PRICING['gpt-4.1-mini'])).toBeCloseTo(
      (10_000 * 0.4 + 2048 * 1.6) / M,
      10,
    );
  });
});

describe('mergePricing (LLM_PRICING_JSON)', () => {
  it('adds a new model, deriving Claude cache prices from its input price', () => {
    const t = mergePricing({ 'claude-new-model': { input: 2, output: 10 } });
    expect(t['claude-new-model']).toEqual({
      input: 2,
      output: 10,
      cacheWrite: 2.5,
      cacheWrite1h: 4,
      cacheRead: expect.closeTo(0.2, 10),
    });
  });

  it('changes some prices of a known model and keeps the rest', () => {
    const t = mergePricing({ 'gpt-4.1-mini': { output: 2 }, 'claude-sonnet-4-6': { input: 4, cache_read: 0.5 } });
    expect(t['gpt-4.1-mini']).toEqual({ ...DEFAULT_PRICING['gpt-4.1-mini'], output: 2 });
    expect(t['claude-sonnet-4-6']).toEqual({ input: 4, output: 15, cacheWrite: 5, cacheWrite1h: 8, cacheRead: 0.5 });
  });

  it('rejects unusable entries with a reason and keeps the defaults', () => {
    const { table, rejected } = mergePricingChecked({
      'new-model': { input: 1 },
      'gpt-4.1': { input: -1, output: 8 },
      'gpt-4o': { inptu: 1 },
      o3: 'cheap',
    });
    expect(rejected.map((r) => r.model)).toEqual(['new-model', 'gpt-4.1', 'gpt-4o', 'o3']);
    expect(table['gpt-4.1']).toEqual(DEFAULT_PRICING['gpt-4.1']);
    expect(table['new-model']).toBeUndefined();
  });
});

describe('names that are Object.prototype members', () => {
  it.each(['__proto__', 'constructor', 'toString'])('prices a model named %s as unknown, never as NaN', (model) => {
    expect(findPrice(model)).toEqual({ price: UNKNOWN_MODEL_PRICE, known: false });
    const { table } = mergePricingChecked({ [model]: { input: 1, output: 2 } });
    expect(findPrice(model, table).price).toMatchObject({ input: 1, output: 2 });
    expect(findPrice('other-model', table).known).toBe(false);
  });
});
