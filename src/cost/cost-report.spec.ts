import { emptyUsage } from '../llm/llm.types';
import { incrementsFor, sumDays } from './cost-ledger.format';
import { buildReport } from './cost-report';

const hashOf = (...incs: Record<string, number>[]) => {
  const h: Record<string, number> = {};
  for (const i of incs) for (const [k, v] of Object.entries(i)) h[k] = (h[k] ?? 0) + v;
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));
};

const call = (
  operation: 'chat' | 'dte_validation' | 'sii_monitoring',
  model: string,
  provider: string,
  u: Partial<ReturnType<typeof emptyUsage>>,
  costNano: number,
  outcome = 'success',
) => incrementsFor({ operation, model, provider, outcome, usage: { ...emptyUsage(), ...u }, costNano });

describe('cost counters layout', () => {
  it('writes one field per dimension and metric, skipping zeros', () => {
    expect(call('chat', 'claude-sonnet-4-6', 'anthropic', { input_tokens: 10, output_tokens: 5 }, 225_000)).toEqual({
      'outcome:success:calls': 1,
      'op:chat:calls': 1,
      'op:chat:cost_nano': 225_000,
      'op:chat:input_tokens': 10,
      'op:chat:output_tokens': 5,
      'model:claude-sonnet-4-6:calls': 1,
      'model:claude-sonnet-4-6:cost_nano': 225_000,
      'model:claude-sonnet-4-6:input_tokens': 10,
      'model:claude-sonnet-4-6:output_tokens': 5,
      'provider:anthropic:calls': 1,
      'provider:anthropic:cost_nano': 225_000,
      'provider:anthropic:input_tokens': 10,
      'provider:anthropic:output_tokens': 5,
    });
  });

  it('reads back model names that contain colons and ignores writer counters and stray fields', () => {
    const h = {
      ...hashOf(call('chat', 'llama3:8b', 'openai', { input_tokens: 7 }, 0)),
      'w:abc123': '4',
      junk: 'x',
      'op:chat:calls:': '1',
    };
    const t = sumDays([h]);
    expect(t.model['llama3:8b']).toMatchObject({ calls: 1, input_tokens: 7 });
    expect(Object.keys(t.model)).toEqual(['llama3:8b']);
  });
});

describe('buildReport', () => {
  const day1 = hashOf(
    call(
      'chat',
      'claude-sonnet-4-6',
      'anthropic',
      { input_tokens: 100, output_tokens: 50, cache_read_tokens: 800, cache_write_tokens: 100 },
      1_234_567_890,
    ),
    call('dte_validation', 'gpt-4.1-mini', 'openai', { input_tokens: 300, output_tokens: 100 }, 280_000, 'error'),
  );
  const day2 = hashOf(
    call(
      'chat',
      'claude-sonnet-4-6',
      'anthropic',
      { input_tokens: 100, output_tokens: 50, cache_write_1h_tokens: 200 },
      10,
    ),
  );
  const r = buildReport('this_week', '2026-11-23', '2026-11-24', sumDays([day1, day2]));

  it('sums totals over days', () => {
    expect(r).toMatchObject({
      period: 'this_week',
      from: '2026-11-23',
      to: '2026-11-24',
      timezone: 'America/Santiago',
      total_calls: 3,
      total_input_tokens: 500,
      total_output_tokens: 200,
      total_cache_read_tokens: 800,
      total_cache_write_tokens: 300,
      total_cache_write_1h_tokens: 200,
      total_cost_usd: 1.2348479,
    });
  });

  it('computes the average prompt+output size and the prompt-cache hit rate', () => {
    expect(r.avg_tokens_per_call).toBe(Math.round(((500 + 800 + 300 + 200) / 3) * 10) / 10);
    expect(r.cache_hit_rate).toBe(Math.round((800 / (800 + 300 + 500)) * 1e4) / 1e4);
  });

  it('breaks down by operation (all three always present), model, provider and outcome', () => {
    expect(r.by_operation.chat).toEqual({
      calls: 2,
      cost_usd: 1.2345679,
      input_tokens: 200,
      output_tokens: 100,
      cache_read_tokens: 800,
      cache_write_tokens: 300,
    });
    expect(r.by_operation.sii_monitoring).toEqual({
      calls: 0,
      cost_usd: 0,
      input_tokens: 0,
      output_tokens: 0,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
    });
    expect(r.by_model['gpt-4.1-mini']).toMatchObject({ calls: 1, cost_usd: 0.00028 });
    expect(Object.keys(r.by_provider).sort()).toEqual(['anthropic', 'openai']);
    expect(r.by_outcome).toEqual({ success: 2, error: 1 });
  });

  it('answers zeros, not NaN, for an empty period', () => {
    const empty = buildReport('today', '2026-11-24', '2026-11-24', sumDays([]));
    expect(empty).toMatchObject({
      total_calls: 0,
      total_cost_usd: 0,
      avg_tokens_per_call: 0,
      cache_hit_rate: 0,
      by_model: {},
    });
  });
});

describe('sums keyed by outside names', () => {
  it('counts a model named __proto__ or constructor as a model, leaving Object.prototype alone', () => {
    const days = sumDays([
      { 'model:__proto__:calls': '2', 'model:constructor:calls': '1', 'provider:toString:calls': '3' },
    ]);
    expect(days.model['__proto__'].calls).toBe(2);
    expect(days.model['constructor'].calls).toBe(1);
    expect(days.provider['toString'].calls).toBe(3);
    expect(({} as Record<string, unknown>).calls).toBeUndefined();
  });
});
