import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { KEY_VALUE_STORE, KeyValueStore, StoreOp } from '../../store/store.port';
import { ChatSession, ChatSessionStore, StoredChatMessage } from './chat-session.store.port';
import { contextKey, historyKey } from './session-keys';

/** Long enough for any real conversation, short enough that GET stays small. */
export const HISTORY_MAX_MESSAGES = 200;

/** Each user-context key is its own hash field, so concurrent merges never overwrite each other. */
const UC = 'uc:';

/** Chat sessions over the shared key-value port (Redis in production, memory when embedded). */
@Injectable()
export class KvChatSessionStore implements ChatSessionStore {
  private readonly ttl: number;

  constructor(
    @Inject(KEY_VALUE_STORE) private readonly store: KeyValueStore,
    config: AppConfig,
  ) {
    this.ttl = config.chat.sessionTtlSeconds;
  }

  async create(id: string, userContext: Record<string, unknown>): Promise<ChatSession> {
    const now = new Date().toISOString();
    await this.store.hashSet(
      contextKey(id),
      { created_at: now, last_activity: now, message_count: '0', ...encodeContext(userContext) },
      this.ttl,
    );
    return { id, userContext: { ...userContext }, createdAt: now, lastActivity: now, messageCount: 0 };
  }

  async open(id: string, merge: Record<string, unknown> = {}): Promise<ChatSession | null> {
    return (await this.openWithHistory(id, merge, 0)).session;
  }

  async openWithHistory(id: string, merge: Record<string, unknown>, count: number) {
    // Read, TTL refresh (EXPIRE leaves a missing key missing) and history in one atomic batch.
    const ops: StoreOp[] = [
      { op: 'hGetAll', key: contextKey(id) },
      { op: 'expire', key: contextKey(id), ttlSeconds: this.ttl },
      { op: 'expire', key: historyKey(id), ttlSeconds: this.ttl },
    ];
    if (count > 0) ops.push({ op: 'lRange', key: historyKey(id), start: -count, stop: -1 });
    const [fields, , , raw] = (await this.store.batch(ops)) as [
      Record<string, string>,
      boolean,
      boolean,
      string[] | undefined,
    ];
    const history = parseMessages(raw ?? []);
    if (!fields.created_at) return { session: null, history };
    const encoded = encodeContext(merge);
    // Odoo resends the same user_context on every turn: only changed keys are written.
    const changed: Record<string, string> = {};
    let changes = 0;
    for (const [field, value] of Object.entries(encoded)) {
      if (fields[field] !== value) {
        changed[field] = value;
        changes++;
      }
    }
    if (changes) await this.store.hashSet(contextKey(id), changed, this.ttl);
    return { session: decodeSession(id, { ...fields, ...encoded }), history };
  }

  async recentMessages(id: string, count: number): Promise<StoredChatMessage[]> {
    if (count <= 0) return [];
    return parseMessages(await this.store.listRange(historyKey(id), -count, -1));
  }

  async allMessages(id: string): Promise<StoredChatMessage[]> {
    return parseMessages(await this.store.listRange(historyKey(id), 0, -1));
  }

  async appendMessages(id: string, messages: StoredChatMessage[]): Promise<void> {
    if (!messages.length) return;
    // History (RPUSH + LTRIM + EXPIRE) and counters (HINCRBY + HSET + EXPIRE): one atomic batch.
    await this.store.batch([
      { op: 'rPush', key: historyKey(id), values: messages.map((m) => JSON.stringify(m)) },
      { op: 'lTrim', key: historyKey(id), start: -HISTORY_MAX_MESSAGES, stop: -1 },
      { op: 'expire', key: historyKey(id), ttlSeconds: this.ttl },
      { op: 'hIncrBy', key: contextKey(id), field: 'message_count', by: messages.length },
      { op: 'hSet', key: contextKey(id), fields: { last_activity: messages[messages.length - 1].timestamp } },
      { op: 'expire', key: contextKey(id), ttlSeconds: this.ttl },
    ]);
  }

  ttlSeconds(id: string): Promise<number> {
    return this.store.ttl(contextKey(id));
  }

  async delete(id: string): Promise<boolean> {
    return (await this.store.del(contextKey(id), historyKey(id))) > 0;
  }
}

function encodeContext(context: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) {
    if (value !== undefined) out[UC + key] = JSON.stringify(value);
  }
  return out;
}

function decodeSession(id: string, fields: Record<string, string>): ChatSession {
  const userContext: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(fields)) {
    if (!field.startsWith(UC)) continue;
    try {
      userContext[field.slice(UC.length)] = JSON.parse(raw);
    } catch {
      userContext[field.slice(UC.length)] = raw;
    }
  }
  return {
    id,
    userContext,
    createdAt: fields.created_at,
    lastActivity: fields.last_activity ?? fields.created_at,
    messageCount: Number(fields.message_count ?? 0),
  };
}

function parseMessages(raw: string[]): StoredChatMessage[] {
  const out: StoredChatMessage[] = [];
  for (const item of raw) {
    try {
      const m = JSON.parse(item) as StoredChatMessage;
      if ((m.role === 'user' || m.role === 'assistant') && typeof m.content === 'string') out.push(m);
    } catch {
      /* a foreign or corrupt entry is skipped rather than breaking the conversation */
    }
  }
  return out;
}
