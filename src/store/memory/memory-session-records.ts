import { SessionRecord, SessionRecords } from '../session-records.port';
import { ExpiringMap, ExpiringMaps } from './expiring-map';

interface Session {
  record: SessionRecord;
  messages: string[];
}

/** Chat sessions in process memory; single-threaded, so every method is atomic. */
export class MemorySessionRecords implements SessionRecords {
  private readonly sessions: ExpiringMap<Session>;

  constructor(
    maps: ExpiringMaps,
    private readonly ttlMs: number,
    private readonly maxMessages: number,
  ) {
    this.sessions = maps.create();
  }

  async create(id: string, createdAt: string, context: ReadonlyMap<string, string>) {
    if (this.sessions.has(id)) return false;
    const record = { createdAt, lastActivity: createdAt, messageCount: 0, context: new Map(context) };
    this.sessions.set(id, { record, messages: [] }, this.ttlMs);
    return true;
  }

  async open(id: string, messages: number) {
    const session = this.sessions.get(id);
    if (!session) return { record: null, messages: [] };
    this.sessions.expire(id, this.ttlMs);
    const { record } = session;
    return {
      record: { ...record, context: new Map(record.context) },
      messages: messages > 0 ? session.messages.slice(-messages) : [],
    };
  }

  async updateContext(id: string, set: ReadonlyMap<string, string>, remove: readonly string[]) {
    const context = this.sessions.get(id)?.record.context;
    if (!context) return false;
    for (const key of remove) context.delete(key);
    for (const [key, value] of set) context.set(key, value);
    return true;
  }

  async append(id: string, messages: readonly string[], lastActivity: string) {
    const session = this.sessions.get(id);
    if (!session) return false;
    session.messages.push(...messages);
    session.messages.splice(0, Math.max(0, session.messages.length - this.maxMessages));
    session.record.messageCount += messages.length;
    session.record.lastActivity = lastActivity;
    this.sessions.expire(id, this.ttlMs);
    return true;
  }

  async messages(id: string) {
    return [...(this.sessions.get(id)?.messages ?? [])];
  }

  async ttlSeconds(id: string) {
    const ms = this.sessions.msLeft(id);
    return ms < 0 ? ms : Math.ceil(ms / 1000);
  }

  async delete(id: string) {
    return this.sessions.delete(id);
  }
}
