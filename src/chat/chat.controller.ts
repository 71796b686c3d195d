import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiErrorResponses,
  AUTHENTICATED_ERRORS,
  badRequest,
  JSON_BODY_ERRORS,
  SESSION_ID_INVALID,
  SESSION_NOT_FOUND,
} from '../common/api-error-responses';
import { ChatSessionsService } from './chat-sessions.service';
import { ChatService } from './chat.service';
import { ChatAnswer } from './chat.types';
import { userContextFromWizard } from './context/universal-context';
import { ChatMessageRequestDto } from './dto/chat-message.request.dto';
import { ChatAnswerDto, NewSessionResponseDto, SessionDeletedDto, SessionViewDto } from './dto/chat.response.dto';
import { MESSAGE_EXAMPLE, NEW_SESSION_EXAMPLE, WIZARD_EXAMPLE } from './dto/examples';
import { NewSessionRequestDto } from './dto/new-session.request.dto';
import { UniversalChatRequestDto } from './dto/universal-chat.request.dto';
import { SessionIdPipe } from './session/session-id.pipe';
import { acceptsOnlyEventStream } from './sse/accept';
import { clientAbortSignal } from './sse/client-abort';
import { pipeChatStream } from './sse/pipe-chat-stream';

const SSE_EXAMPLE =
  'event: delta\ndata: {"text":"Para generar "}\n\nevent: delta\ndata: {"text":"una Factura Electrónica…"}\n\n' +
  'event: done\ndata: {"message":"Para generar una Factura Electrónica…","sources":["Tipos de DTEs"],"confidence":92.5,' +
  '"session_id":"3f1c2a9e-8b7d-4c6e-9a51-2d0f7b4e6c13","llm_used":"anthropic","tokens_used":{"input_tokens":1234,' +
  '"output_tokens":567,"total_tokens":1801},"plugin":"l10n_cl_dte","cost_usd":0.012207}\n\n';
const SSE_CONTENT = { 'text/event-stream': { schema: { type: 'string' }, example: SSE_EXAMPLE } };

const SSE_DESCRIPTION =
  'text/event-stream: `event: delta` `data: {"text": "…"}` (repeated), then `event: done` with the whole answer ' +
  '(same object as POST /api/chat/message), or `event: error` `data: {"code", "detail"}` if the model fails after it started.';

/** Errors a turn can answer before its first byte (a stream reports later ones as `event: error`). */
const TURN_ERRORS = [...JSON_BODY_ERRORS, 422, 502, 503] as const;

@ApiTags('chat')
@ApiErrorResponses(...AUTHENTICATED_ERRORS)
@Controller('api/chat')
export class ChatController {
  constructor(
    private readonly chat: ChatService,
    private readonly sessions: ChatSessionsService,
  ) {}

  @Post('session/new')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start a conversation; answers its UUID and a Spanish welcome message' })
  @ApiBody({
    type: NewSessionRequestDto,
    examples: { odoo: { summary: 'As Odoo sends it', value: NEW_SESSION_EXAMPLE } },
  })
  @ApiOkResponse({ type: NewSessionResponseDto })
  @ApiErrorResponses(
    ...JSON_BODY_ERRORS.filter((status) => status !== 400),
    badRequest(
      '`user_context` no es un objeto',
      'user_context',
      'user_context must be an object',
      'El campo "user_context" debe ser un objeto JSON.',
    ),
    503,
  )
  newSession(@Body() body: NewSessionRequestDto) {
    return this.sessions.create(body.user_context ?? {});
  }

  @Post('message')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a message; without session_id a new session is started. Unknown or expired session: 404',
  })
  @ApiBody({ type: ChatMessageRequestDto, examples: { odoo: { summary: 'As Odoo sends it', value: MESSAGE_EXAMPLE } } })
  @ApiOkResponse({ type: ChatAnswerDto })
  @ApiErrorResponses(...TURN_ERRORS, SESSION_NOT_FOUND)
  async message(
    @Body() body: ChatMessageRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ChatAnswer> {
    const turn = await this.chat.prepare(this.turnInput(body));
    return this.chat.complete(turn, clientAbortSignal(reply));
  }

  @Post('message/stream')
  @HttpCode(200)
  @ApiOperation({ summary: 'Same as /api/chat/message, answered as Server-Sent Events' })
  @ApiBody({ type: ChatMessageRequestDto, examples: { odoo: { summary: 'As Odoo sends it', value: MESSAGE_EXAMPLE } } })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: SSE_DESCRIPTION, content: SSE_CONTENT })
  @ApiErrorResponses(...TURN_ERRORS, SESSION_NOT_FOUND)
  async messageStream(@Body() body: ChatMessageRequestDto, @Res() reply: FastifyReply): Promise<void> {
    const signal = clientAbortSignal(reply);
    const turn = await this.chat.prepare(this.turnInput(body));
    await pipeChatStream(reply, this.chat.stream(turn, signal), signal);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: "Odoo's universal chat wizard: caller-named session ids, module hint, open record context",
    description:
      'JSON answer (as /api/chat/message) even when `stream` is true, unless the request accepts only text/event-stream. ' +
      SSE_DESCRIPTION,
  })
  @ApiBody({
    type: UniversalChatRequestDto,
    examples: { wizard: { summary: 'As the wizard sends it (record trimmed)', value: WIZARD_EXAMPLE } },
  })
  @ApiOkResponse({ type: ChatAnswerDto })
  @ApiErrorResponses(...TURN_ERRORS)
  async universal(
    @Body() body: UniversalChatRequestDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const signal = clientAbortSignal(reply);
    const contextSessionId = typeof body.context?.session_id === 'string' ? body.context.session_id : undefined;
    const turn = await this.chat.prepare({
      sessionId: body.session_id ?? (contextSessionId ? new SessionIdPipe().transform(contextSessionId) : undefined),
      message: body.message,
      userContext: userContextFromWizard(body.context),
      allowCallerNamedSession: true,
    });
    if (body.stream && acceptsOnlyEventStream(request.headers.accept)) {
      await pipeChatStream(reply, this.chat.stream(turn, signal), signal);
      return;
    }
    const answer = await this.chat.complete(turn, signal);
    await reply.status(200).type('application/json; charset=utf-8').send(answer);
  }

  @Get('session/:id')
  @ApiOperation({ summary: 'Conversation history, context, stats and seconds left before it expires' })
  @ApiParam({ name: 'id', example: MESSAGE_EXAMPLE.session_id })
  @ApiOkResponse({ type: SessionViewDto })
  @ApiErrorResponses(SESSION_ID_INVALID, SESSION_NOT_FOUND, 503)
  getSession(@Param('id', SessionIdPipe) id: string) {
    return this.sessions.get(id);
  }

  @Delete('session/:id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a conversation (200, never 204: Odoo checks for 200)' })
  @ApiParam({ name: 'id', example: MESSAGE_EXAMPLE.session_id })
  @ApiOkResponse({ type: SessionDeletedDto })
  @ApiErrorResponses(SESSION_ID_INVALID, SESSION_NOT_FOUND, 503)
  deleteSession(@Param('id', SessionIdPipe) id: string) {
    return this.sessions.delete(id);
  }

  private turnInput(body: ChatMessageRequestDto) {
    return {
      sessionId: body.session_id,
      message: body.message,
      userContext: body.user_context ?? {},
      allowCallerNamedSession: false,
    };
  }
}
