import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '../../common/clock';
import { logEvent } from '../../common/log-event';
import { AppConfig } from '../../config/app-config';
import { SESSION_RECORDS, SessionRecord, SessionRecords } from '../../store/session-records.port';
import { ChatSession, ChatSessionStore, StoredChatMessage } from './chat-session.store.port';
import { boundContext, ContextLimits } from './context-budget';

/** Dropped key names shown in the log event (names only, never values). */
const LOGGED_NAMES = 10;

/**
 * Chat sessions over the store's session records: the user context kept within
 * CHAT_CONTEXT_MAX_KEYS / CHAT_CONTEXT_MAX_BYTES (context-budget.ts), values and messages as JSON.
 */
@Injectable()
export class BoundedChatSessionStore implements ChatSessionStore {
  private readonly logger = new Logger('ChatSessions');
  private readonly limits: ContextLimits;

  constructor(
    @Inject(SESSION_RECORDS) private readonly records: SessionRecords,
    @Inject(CLOCK) private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.limits = { maxKeys: config.chat.contextMaxKeys, maxBytes: config.chat.contextMaxBytes };
  }

  async create(id: string, userContext: Record<string, unknown>): Promise<ChatSession | null> {
    const now = this.clock.now().toISOString();
    const { kept, dropped, bytes } = boundContext(new Map(), encodeContext(userContext), this.limits);
    if (!(await this.records.create(id, now, kept))) return null;
    if (dropped.length) this.logTrimmed(id, dropped, kept.size, bytes);
    return { id, userContext: decodeContext(kept), createdAt: now, lastActivity: now, messageCount: 0 };
  }

  async open(id: string, merge: Record<string, unknown> = {}): Promise<ChatSession | null> {
    return (await this.openWithHistory(id, merge, 0)).session;
  }

  async openWithHistory(id: string, merge: Record<string, unknown>, count: number) {
    const { record, messages } = await this.records.open(id, count);
    if (!record) return { session: null, history: [] };
    const stored = record.context;
    const { kept, dropped, bytes } = boundContext(stored, encodeContext(merge), this.limits);
    // Odoo resends the same user_context on every turn: only changed keys are written.
    const changed = new Map([...kept].filter(([key, value]) => stored.get(key) !== value));
    const removed = dropped.filter((key) => stored.has(key));
    // Deleted between the read and this write: it stays deleted.
    if ((changed.size || removed.length) && !(await this.records.updateContext(id, changed, removed)))
      return { session: null, history: [] };
    if (dropped.length) this.logTrimmed(id, dropped, kept.size, bytes);
    return { session: decodeSession(id, record, kept), history: parseMessages(messages) };
  }

  async allMessages(id: string): Promise<StoredChatMessage[]> {
    return parseMessages(await this.records.messages(id));
  }

  async appendMessages(id: string, messages: StoredChatMessage[]): Promise<boolean> {
    if (!messages.length) return true;
    const last = messages[messages.length - 1];
    return this.records.append(
      id,
      messages.map((m) => JSON.stringify(m)),
      last.timestamp,
    );
  }

  ttlSeconds(id: string): Promise<number> {
    return this.records.ttlSeconds(id);
  }

  delete(id: string): Promise<boolean> {
    return this.records.delete(id);
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

function decodeSession(id: string, record: SessionRecord, context: ReadonlyMap<string, string>): ChatSession {
  const { createdAt, lastActivity, messageCount } = record;
  return { id, userContext: decodeContext(context), createdAt, lastActivity, messageCount };
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
