import { conversationWindow } from './history-window';
import { knowledgeContext, knowledgeQuery, toPassages, DOC_MAX_CHARS } from './knowledge-context';
import type { StoredChatMessage } from '../session/chat-session.store.port';

const m = (role: 'user' | 'assistant', content: string): StoredChatMessage => ({ role, content, timestamp: '2025-01-01T00:00:00Z' });
const history = [m('user', 'u1'), m('assistant', 'a1'), m('user', 'u2'), m('assistant', 'a2'), m('user', 'u3'), m('assistant', 'a3')];

describe('conversationWindow', () => {
  it.each([
    [10, ['u1', 'a1', 'u2', 'a2', 'u3', 'a3', 'q']],
    [4, ['u2', 'a2', 'u3', 'a3', 'q']],
    [3, ['u3', 'a3', 'q']],
    [2, ['u3', 'a3', 'q']],
    [1, ['q']],
    [0, ['q']],
  ])('keeps the last %p messages, never opening with the assistant', (max, expected) => {
    expect(conversationWindow(history, max, 'q').map((x) => x.content)).toEqual(expected);
  });

  it('drops timestamps and ends with the new question', () => {
    expect(conversationWindow([m('user', 'a')], 5, 'b')).toEqual([{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }]);
  });
});

describe('knowledge prompt parts', () => {
  it('adds the previous user question to the search query', () => {
    expect(knowledgeQuery('¿y si es exenta?', [{ role: 'user', content: 'factura' }, { role: 'assistant', content: 'x' }])).toBe('¿y si es exenta? factura');
    expect(knowledgeQuery('hola', [])).toBe('hola');
  });

  it('numbers the documents by title and clips long ones', () => {
    const passages = toPassages([
      { id: 'a', title: 'Tipos de DTE', content: 'x'.repeat(DOC_MAX_CHARS * 2), tags: [], module: 'l10n_cl_dte', score: 10 },
      { id: 'b', title: 'CAF', content: 'folios', tags: [], module: 'l10n_cl_dte', score: 5 },
    ]);
    expect(passages[0].content.length).toBe(DOC_MAX_CHARS);
    const text = knowledgeContext(passages)!;
    expect(text).toContain('### Documento 1: Tipos de DTE');
    expect(text).toContain('### Documento 2: CAF\nfolios');
    expect(knowledgeContext([])).toBeUndefined();
  });
});
