/** DI token of the chat session records. */
export const SESSION_RECORDS = Symbol('SESSION_RECORDS');

/** Messages a session keeps (the oldest go first): enough for any real conversation, small to read. */
export const SESSION_MAX_MESSAGES = 200;

/** One stored chat session: its counters and its user context (key → JSON text, as written). */
export interface SessionRecord {
  createdAt: string;
  lastActivity: string;
  /** Messages ever appended; the list itself is trimmed, this count is not. */
  messageCount: number;
  context: Map<string, string>;
}

/**
 * Chat sessions as stored: a record plus an append-only list of messages (JSON text) trimmed to
 * the last SESSION_MAX_MESSAGES, both expiring CHAT_SESSION_TTL after their last use. Creating the
 * record is what makes a session exist, and every write checks that in the same atomic step, so
 * nothing brings back a session that was deleted, expired or evicted meanwhile.
 */
export interface SessionRecords {
  /** Starts a session under `id`, dropping messages an older one left there; false when a live one holds it. */
  create(id: string, createdAt: string, context: ReadonlyMap<string, string>): Promise<boolean>;
  /**
   * The record (null when there is none) and its last `messages` messages, oldest first; refreshes
   * the TTL of both. One round trip: the chat turn's first read.
   */
  open(id: string, messages: number): Promise<{ record: SessionRecord | null; messages: string[] }>;
  /** Writes and removes user-context keys, only while the session exists. */
  updateContext(id: string, set: ReadonlyMap<string, string>, remove: readonly string[]): Promise<boolean>;
  /**
   * Appends messages, adds them to the count and sets `lastActivity`, refreshing both TTLs, in one
   * atomic step and only while the session exists; false (nothing written) when it does not.
   */
  append(id: string, messages: readonly string[], lastActivity: string): Promise<boolean>;
  /** Every stored message, oldest first. */
  messages(id: string): Promise<string[]>;
  /** Seconds until the session expires; -2 when it does not exist. */
  ttlSeconds(id: string): Promise<number>;
  /** True when something was deleted. */
  delete(id: string): Promise<boolean>;
}
