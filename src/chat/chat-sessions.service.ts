import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SessionNotFoundError } from '../common/domain-error';
import { logEvent } from '../common/log-event';
import { welcomeMessage } from './context/welcome-message';
import { CHAT_SESSION_STORE, ChatSessionStore, StoredChatMessage } from './session/chat-session.store.port';

export interface SessionView {
  session_id: string;
  user_context: Record<string, unknown>;
  messages: StoredChatMessage[];
  stats: { message_count: number; created_at: string; last_activity: string };
  ttl_seconds: number;
}

/** Session lifecycle endpoints: create (with the welcome), read, delete. */
@Injectable()
export class ChatSessionsService {
  private readonly logger = new Logger('ChatSessions');

  constructor(@Inject(CHAT_SESSION_STORE) private readonly sessions: ChatSessionStore) {}

  async create(userContext: Record<string, unknown>): Promise<{ session_id: string; welcome_message: string }> {
    const session = await this.sessions.create(randomUUID(), userContext);
    if (!session) throw new SessionNotFoundError(); // a fresh UUID is never taken
    logEvent(this.logger, 'chat_session_created', {
      session_id: session.id,
      context_keys: Object.keys(userContext).length,
    });
    return { session_id: session.id, welcome_message: welcomeMessage(userContext) };
  }

  async get(id: string): Promise<SessionView> {
    const session = await this.sessions.open(id);
    if (!session) throw new SessionNotFoundError();
    const [messages, ttl] = await Promise.all([this.sessions.allMessages(id), this.sessions.ttlSeconds(id)]);
    return {
      session_id: id,
      user_context: session.userContext,
      messages,
      stats: {
        message_count: session.messageCount,
        created_at: session.createdAt,
        last_activity: session.lastActivity,
      },
      ttl_seconds: Math.max(ttl, 0),
    };
  }

  async delete(id: string): Promise<{ session_id: string; deleted: true }> {
    if (!(await this.sessions.delete(id))) throw new SessionNotFoundError();
    logEvent(this.logger, 'chat_session_deleted', { session_id: id });
    return { session_id: id, deleted: true };
  }
}
