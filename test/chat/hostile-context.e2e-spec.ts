import { RunningApp, startApp } from '../helpers/test-app';

/**
 * Context values are Odoo's, but anything can arrive in them: a value shaped to break String()
 * or template literals must be ignored, never turn a chat turn into a 500.
 */
describe('chat with hostile context values', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app.close());

  const hostile: [string, unknown][] = [
    ['an object whose toString is not a function', { toString: 1 }],
    ['an object whose valueOf and toString are objects', { valueOf: {}, toString: {} }],
    ['an array holding such an object', [{ toString: 1 }]],
  ];

  it.each(hostile)('answers 200 when odoo.active_id is %s', async (_what, activeId) => {
    const res = await app.call('POST', '/api/chat/message', {
      message: '¿Qué documento es este?',
      user_context: { odoo: { active_model: 'account.move', active_id: activeId, active_record_name: 'F 33-12' } },
    });
    expect(res.status).toBe(200);
    expect(typeof res.json.message).toBe('string');
  });

  it('still names a numeric active_id as Odoo sends it', async () => {
    const res = await app.call('POST', '/api/chat', {
      message: '¿Qué documento es este?',
      session_id: 'wizard_hostile_1',
      context: { active_model: 'account.move', active_id: 12345 },
    });
    expect(res.status).toBe(200);
  });
});
