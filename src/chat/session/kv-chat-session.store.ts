import { Inject, Injectable, Logger } from '@nestjs/common';
import { logEvent } from '../../common/log-event';
import { AppConfig } from '../../config/app-config';
import { KEY_VALUE_STORE, KeyValueStore, StoreOp } from '../../store/store.port';
import { ChatSession, ChatSessionStore, StoredChatMessage } from './chat-session.store.port';
import { boundContext, ContextLimits } from './context-budget';
import { contextKey, historyKey } from './session-keys';

/** Long enough for any real conversation, short enough that GET stays small. */
export const HISTORY_MAX_MESSAGES = 200;

/** Each user-context key is its own hash field, so concurrent merges never overwrite each other. */
const UC = 'uc:';
/** The field whose presence makes a session exist (every write checks it in the same script). */
const CREATED = 'created_at';
/** Fields per HDEL: stays far below Lua's unpack limit when an old, oversized context is trimmed. */
const HDEL_CHUNK = 500;
/** Dropped key names shown in the log event (names only, never values). */
const LOGGED_NAMES = 10;

/** Chat sessions over the shared key-value port (Redis in production, memory when embedded). */
@Injectable()
export class KvChatSessionStore implements ChatSessionStore {
  private readonly logger = new Logger('ChatSessions');
  private readonly ttl: number;
  private readonly limits: ContextLimits;

  constructor(
    @Inject(KEY_VALUE_STORE) private readonly store: KeyValueStore,
    config: AppConfig,
  ) {
    this.ttl = config.chat.sessionTtlSeconds;
    this.limits = { maxKeys: config.chat.contextMaxKeys, maxBytes: config.chat.contextMaxBytes };
  }

  async create(id: string, userContext: Record<string, unknown>): Promise<ChatSession | null> {
    const now = new Date().toISOString();
    const { kept, dropped, bytes } = boundContext(new Map(), encodeContext(userContext), this.limits);
    const [created] = await this.store.batch([
      // Only where no live session holds the id; a history an expired context left behind goes.
      { op: 'requireField', key: contextKey(id), field: CREATED, present: false },
      { op: 'del', key: historyKey(id) },
      { op: 'del', key: contextKey(id) },
      {
        op: 'hSet',
        key: contextKey(id),
        fields: { [CREATED]: now, last_activity: now, message_count: '0', ...prefixed(kept) },
      },
      { op: 'expire', key: contextKey(id), ttlSeconds: this.ttl },
    ]);
    if (!created) return null;
    if (dropped.length) this.logTrimmed(id, dropped, kept.size, bytes);
    return { id, userContext: decodeContext(kept), createdAt: now, lastActivity: now, messageCount: 0 };
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
    if (!fields[CREATED]) return { session: null, history: [] };
    const stored = storedContext(fields);
    const { kept, dropped, bytes } = boundContext(stored, encodeContext(merge), this.limits);
    // Odoo resends the same user_context on every turn: only changed keys are written.
    const changed: Record<string, string> = {};
    for (const [key, value] of kept) if (stored.get(key) !== value) changed[UC + key] = value;
    const removed = dropped.filter((key) => stored.has(key)).map((key) => UC + key);
    if (Object.keys(changed).length || removed.length) {
      const [stillThere] = await this.store.batch([
        { op: 'requireField', key: contextKey(id), field: CREATED, present: true },
        ...chunks(removed, HDEL_CHUNK).map((f): StoreOp => ({ op: 'hDel', key: contextKey(id), fields: f })),
        ...(Object.keys(changed).length ? [{ op: 'hSet' as const, key: contextKey(id), fields: changed }] : []),
      ]);
      // Deleted between the read and this write: it stays deleted.
      if (!stillThere) return { session: null, history: [] };
    }
    if (dropped.length) this.logTrimmed(id, dropped, kept.size, bytes);
    return { session: decodeSession(id, fields, kept), history };
  }

  async recentMessages(id: string, count: number): Promise<StoredChatMessage[]> {
    if (count <= 0) return [];
    return parseMessages(await this.store.listRange(historyKey(id), -count, -1));
  }

  async allMessages(id: string): Promise<StoredChatMessage[]> {
    return parseMessages(await this.store.listRange(historyKey(id), 0, -1));
  }

  async appendMessages(id: string, messages: StoredChatMessage[]): Promise<boolean> {
    if (!messages.length) return true;
    // Existence check, history (RPUSH + LTRIM + EXPIRE) and counters (HINCRBY + HSET + EXPIRE):
    // one atomic batch, so a session deleted while its turn ran is not brought back.
    const [exists] = await this.store.batch([
      { op: 'requireField', key: contextKey(id), field: CREATED, present: true },
      { op: 'rPush', key: historyKey(id), values: messages.map((m) => JSON.stringify(m)) },
      { op: 'lTrim', key: historyKey(id), start: -HISTORY_MAX_MESSAGES, stop: -1 },
      { op: 'expire', key: historyKey(id), ttlSeconds: this.ttl },
      { op: 'hIncrBy', key: contextKey(id), field: 'message_count', by: messages.length },
      { op: 'hSet', key: contextKey(id), fields: { last_activity: messages[messages.length - 1].timestamp } },
      { op: 'expire', key: contextKey(id), ttlSeconds: this.ttl },
    ]);
    return exists === true;
  }

  ttlSeconds(id: string): Promise<number> {
    return this.store.ttl(contextKey(id));
  }

  async delete(id: string): Promise<boolean> {
    return (await this.store.del(contextKey(id), historyKey(id))) > 0;
  }

  private logTrimmed(id: string, dropped: string[], keptKeys: number, keptBytes: number) {
    logEvent(
      this.logger,
      'chat_session_context_trimmed',
      {
        session_id: id,
        dropped_keys: dropped.length,
        kept_keys: keptKeys,
        kept_bytes: keptBytes,
        max_keys: this.limits.maxKeys,
        max_bytes: this.limits.maxBytes,
        dropped_names: dropped.slice(0, LOGGED_NAMES).map((k) => k.slice(0, 60)),
      },
      'warn',
    );
  }
}

/** key → JSON, as stored (undefined values are left out). */
function encodeContext(context: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(context)) {
    if (value !== undefined) out.set(key, JSON.stringify(value));
  }
  return out;
}

const prefixed = (context: ReadonlyMap<string, string>) =>
  Object.fromEntries([...context].map(([key, value]) => [UC + key, value]));

function storedContext(fields: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [field, raw] of Object.entries(fields)) if (field.startsWith(UC)) out.set(field.slice(UC.length), raw);
  return out;
}

function decodeContext(context: ReadonlyMap<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of context) {
    try {
      out[key] = JSON.parse(raw);
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

function decodeSession(id: string, fields: Record<string, string>, context: ReadonlyMap<string, string>): ChatSession {
  return {
    id,
    userContext: decodeContext(context),
    createdAt: fields[CREATED],
    lastActivity: fields.last_activity ?? fields[CREATED],
    messageCount: Number(fields.message_count ?? 0),
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
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
