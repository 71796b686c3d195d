import type { LlmMessage } from '../../llm/llm.types';
import type { StoredChatMessage } from '../session/chat-session.store.port';

/**
 * The conversation sent to the model: the last `max` stored messages (CHAT_MAX_CONTEXT_MESSAGES)
 * minus any leading assistant turns (providers expect the conversation to open with the user),
 * then the new question.
 */
export function conversationWindow(history: readonly StoredChatMessage[], max: number, question: string): LlmMessage[] {
  const window = max > 0 ? history.slice(-max) : [];
  let start = 0;
  while (start < window.length && window[start].role !== 'user') start++;
  return [...window.slice(start).map(({ role, content }) => ({ role, content })), { role: 'user', content: question }];
}
