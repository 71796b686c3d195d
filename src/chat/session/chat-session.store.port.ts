/** DI token of the chat session repository (implemented over the store's SESSION_RECORDS port). */
export const CHAT_SESSION_STORE = Symbol('CHAT_SESSION_STORE');

type ChatRole = 'user' | 'assistant';

export interface StoredChatMessage {
  role: ChatRole;
  content: string;
  /** ISO 8601. */
  timestamp: string;
}

export interface ChatSession {
  id: string;
  /**
   * What the caller told us about the user, company and open record: each turn's keys over the
   * earlier ones, within CHAT_CONTEXT_MAX_KEYS / CHAT_CONTEXT_MAX_BYTES (see context-budget.ts).
   */
  userContext: Record<string, unknown>;
  createdAt: string;
  lastActivity: string;
  /** Messages ever stored (user + assistant); the list itself is trimmed, this count is not. */
  messageCount: number;
}

/**
 * Chat sessions: a context record plus an append-only, trimmed message list, both expiring after
 * CHAT_SESSION_TTL of inactivity. Every method that touches a session refreshes its TTL. A session
 * is whole or absent: the context record (with its `created_at`) is what makes it exist, and no
 * write recreates a session that was deleted, expired or evicted meanwhile.
 */
export interface ChatSessionStore {
  /**
   * Starts a session afresh under `id`, removing whatever an older one left under it (a history
   * whose context expired or was evicted). Null when a live session already holds the id.
   */
  create(id: string, userContext: Record<string, unknown>): Promise<ChatSession | null>;
  /** The session with `merge` applied over its user context, or null when unknown or expired. */
  open(id: string, merge?: Record<string, unknown>): Promise<ChatSession | null>;
  /** open() and the last `count` messages, oldest first, in one store round trip (the chat turn's first read). */
  openWithHistory(
    id: string,
    merge: Record<string, unknown>,
    count: number,
  ): Promise<{ session: ChatSession | null; history: StoredChatMessage[] }>;
  allMessages(id: string): Promise<StoredChatMessage[]>;
  /**
   * Appends one exchange and bumps the counters in one atomic step, only while the session
   * exists; false (nothing written) when it was deleted, expired or evicted meanwhile.
   */
  appendMessages(id: string, messages: StoredChatMessage[]): Promise<boolean>;
  /** Seconds until the session expires; -2 when it does not exist. */
  ttlSeconds(id: string): Promise<number>;
  /** True when something was deleted. */
  delete(id: string): Promise<boolean>;
}
