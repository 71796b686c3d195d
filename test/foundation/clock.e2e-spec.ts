import { CLOCK, Clock } from '../../src/common/clock';
import { CostRecorder } from '../../src/cost/cost.port';
import { emptyUsage } from '../../src/llm/llm.types';
import { FACTURA_33_EXAMPLE } from '../../src/validation/dto/validation.examples';
import { TestRedis } from '../helpers/redis-server';
import { RunningApp, startApp } from '../helpers/test-app';

/**
 * One clock for the whole application: fixing the CLOCK the application was built with moves
 * every date and timestamp it reports, whatever the machine's own clock says.
 */
describe('the application reads the time through its one CLOCK', () => {
  // 22:30 on 2026-03-20 in Santiago (UTC−3 in March): already the 21st in UTC.
  const FIXED = new Date('2026-03-21T01:30:00Z');
  let redis: TestRedis;
  let svc: RunningApp;

  beforeAll(async () => {
    redis = await TestRedis.start();
    svc = await startApp({ REDIS_URL: redis.url(), RATE_LIMIT_PER_MINUTE: '100000' });
    jest.spyOn(svc.app.get<Clock>(CLOCK), 'now').mockImplementation(() => new Date(FIXED));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await svc?.close();
    await redis?.stop();
  });

  it('stamps the chat history with the clock', async () => {
    const r = await svc.call('POST', '/api/chat/message', { message: '¿Cómo genero un DTE 33?' });
    expect(r.status).toBe(200);
    const session = await svc.call('GET', `/api/chat/session/${r.json.session_id}`);
    expect(session.json.messages.map((m: { timestamp: string }) => m.timestamp)).toEqual([
      FIXED.toISOString(),
      FIXED.toISOString(),
    ]);
  });

  it('reports the clock in /health', async () => {
    const r = await svc.call('GET', '/health', undefined, { auth: false });
    expect(r.json.timestamp).toBe(FIXED.toISOString());
  });

  it("judges emission dates against the clock's day in Chile", async () => {
    const dte = (fecha_emision: string) => ({
      ...FACTURA_33_EXAMPLE,
      dte_data: { ...FACTURA_33_EXAMPLE.dte_data, folio: 777001, fecha_emision },
    });
    const today = await svc.call('POST', '/api/ai/validate', dte('2026-03-20'));
    expect(today.json.errors).toEqual([]);
    const tomorrow = await svc.call('POST', '/api/ai/validate', dte('2026-03-21'));
    expect(tomorrow.json.errors.join(' ')).toContain('hoy es 2026-03-20 en Chile');
  });

  it("books a cost on the clock's day in Chile", async () => {
    await svc.app.get(CostRecorder).record({
      operation: 'chat',
      operationId: 'clock-test',
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      outcome: 'success',
      usage: { ...emptyUsage(), input_tokens: 1000, output_tokens: 100 },
    });
    const r = await svc.call('GET', '/metrics/costs?period=today');
    expect(r.json).toMatchObject({ from: '2026-03-20', to: '2026-03-20' });
    expect(r.json.total_calls).toBe(1);
  });
});
