import { conversationWindow } from './history-window';
import {
  knowledgeContext,
  knowledgeQuery,
  passageReferences,
  relevantHits,
  toPassages,
  DOC_MAX_CHARS,
} from './knowledge-context';
import type { StoredChatMessage } from '../session/chat-session.store.port';

const m = (role: 'user' | 'assistant', content: string): StoredChatMessage => ({
  role,
  content,
  timestamp: '2025-01-01T00:00:00Z',
});
const history = [
  m('user', 'u1'),
  m('assistant', 'a1'),
  m('user', 'u2'),
  m('assistant', 'a2'),
  m('user', 'u3'),
  m('assistant', 'a3'),
];

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
    expect(conversationWindow([m('user', 'a')], 5, 'b')).toEqual([
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
    ]);
  });
});

describe('knowledge prompt parts', () => {
  it('adds the previous user question to the search query', () => {
    expect(
      knowledgeQuery('¿y si es exenta?', [
        { role: 'user', content: 'factura' },
        { role: 'assistant', content: 'x' },
      ]),
    ).toBe('¿y si es exenta? factura');
    expect(knowledgeQuery('hola', [])).toBe('hola');
  });

  // Words of three or more letters or digits: a follow-up of up to five leans on the previous question.
  it.each([
    ['¿y si es exenta?', true],
    ['¿y cómo lo renuevo?', true],
    ['¿hasta qué día puedo pagar?', true],
    ['¿y qué pasa si el cliente ya la pagó completa?', true],
    ['¿Cómo anulo una factura que el SII ya aceptó?', false],
    ['plazo para pagar las cotizaciones en Previred', false],
  ])('searches "%s" with the previous question: %s', (message, withPrevious) => {
    const history = [{ role: 'user' as const, content: 'guía de despacho' }];
    expect(knowledgeQuery(message, history)).toBe(withPrevious ? `${message} guía de despacho` : message);
  });

  it('searches a 4000-character message alone', () => {
    const message = 'palabra '.repeat(500);
    expect(knowledgeQuery(message, [{ role: 'user', content: 'guía de despacho' }])).toBe(message);
  });

  it('numbers the documents by title and clips long ones', () => {
    const passages = toPassages([
      {
        id: 'a',
        title: 'Tipos de DTE',
        content: 'x'.repeat(DOC_MAX_CHARS * 2),
        tags: [],
        module: 'l10n_cl_dte',
        sources: ['DL 825, art. 52'],
        reviewed: '2026-12-06',
        score: 10,
      },
      {
        id: 'b',
        title: 'CAF',
        content: 'folios',
        tags: [],
        module: 'l10n_cl_dte',
        sources: [],
        reviewed: '',
        score: 5,
      },
    ]);
    expect(passages[0].content.length).toBe(DOC_MAX_CHARS);
    const text = knowledgeContext(passages)!;
    expect(text).toContain('### Documento 1: Tipos de DTE\nFuentes (revisado 2026-12-06): DL 825, art. 52\n');
    expect(text).toContain('### Documento 2: CAF\nfolios');
    expect(passageReferences(passages)).toEqual([
      { title: 'Tipos de DTE', sources: ['DL 825, art. 52'], reviewed: '2026-12-06' },
      { title: 'CAF', sources: [], reviewed: null },
    ]);
    expect(knowledgeContext([])).toBeUndefined();
  });
});

describe('relevantHits', () => {
  const hit = (title: string, score: number) => ({
    id: title,
    title,
    content: '',
    tags: [],
    module: 'l10n_cl_dte',
    sources: [],
    reviewed: '2026-12-06',
    score,
  });
  it.each([
    // scores measured on the knowledge base for real questions
    ['an on-topic question', [93.3, 89.2, 21.3], ['a', 'b', 'c']],
    ['one clear winner', [127.6, 75.8, 20.1], ['a', 'b']],
    ['chit-chat', [3.8], []],
    ['a weak tail', [74.8, 17.6, 0.85], ['a', 'b']],
    ['nothing', [], []],
  ])('%s keeps %p', (_label, scores, expected) => {
    const names = ['a', 'b', 'c'];
    expect(relevantHits(scores.map((s, i) => hit(names[i], s))).map((h) => h.title)).toEqual(expected);
  });
});
