import { LlmService } from '../../src/llm/llm.service';
import { RunningApp, startApp } from '../helpers/test-app';
import { chatRequest, useFakeProviders } from './llm-harness';

/** The LLM module inside the whole application: /health and /metrics see what it does. */
describe('LLM module in the running app', () => {
  const fake = useFakeProviders();
  let svc: RunningApp;

  beforeAll(async () => {
    svc = await startApp({
      ...fake.env(),
      LLM_TIMEOUT_MS: '1000',
      LLM_BREAKER_THRESHOLD: '2',
      LLM_BREAKER_HALF_OPEN_MS: '60000',
      LLM_MAX_RETRIES: '0',
    });
  });
  afterAll(() => svc.close());

  it('reports an open circuit as circuit_open in /health while OpenAI stays configured', async () => {
    const before = await svc.call('GET', '/health');
    expect(before.json.dependencies.anthropic.status).toBe('configured');
    fake.anthropic.fault({ status: 529 });
    const llm = svc.app.get(LlmService);
    await llm.complete(chatRequest());
    await llm.complete(chatRequest());
    const after = await svc.call('GET', '/health');
    expect(after.json.dependencies.anthropic.status).toBe('circuit_open');
    expect(after.json.dependencies.openai.status).toBe('configured');
    expect(after.json.status).toBe('healthy'); // OpenAI can still answer
  });

  it('exposes the llm_* series on /metrics', async () => {
    const text = (await svc.call('GET', '/metrics')).text;
    for (const series of [
      'llm_requests_total{provider="anthropic",model="claude-sonnet-4-6",outcome="error"}',
      'llm_request_duration_seconds_bucket{',
      'llm_tokens_total{provider="openai",type="input"}',
      'llm_fallbacks_total{from="anthropic",to="openai",reason="overloaded",output_started="false"}',
      'llm_breaker_state{provider="anthropic"} 2',
    ]) {
      expect(text).toContain(series);
    }
    expect(text).toContain('# TYPE llm_time_to_first_token_seconds histogram');
  });
});
