import { Module } from '@nestjs/common';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { LlmModule } from '../llm/llm.module';
import { ChatSessionsService } from './chat-sessions.service';
import { ChatController } from './chat.controller';
import { chatMetricProviders } from './chat.metrics';
import { ChatService } from './chat.service';
import { PluginRegistry } from './plugins/plugin-registry';
import { CHAT_SESSION_STORE } from './session/chat-session.store.port';
import { BoundedChatSessionStore } from './session/bounded-chat-session.store';

/** The conversational engine: sessions, plugins per Odoo module, knowledge-grounded answers, SSE. */
@Module({
  imports: [KnowledgeModule, LlmModule],
  controllers: [ChatController],
  providers: [
    { provide: CHAT_SESSION_STORE, useClass: BoundedChatSessionStore },
    PluginRegistry,
    ChatService,
    ChatSessionsService,
    ...chatMetricProviders,
  ],
})
export class ChatModule {}
