import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode } from './domain-error';
import { ErrorBody, defaultDetail, reasonPhrase, statusForCode } from './error-response';
import { RequestValidationError } from './request-validation.error';

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const FASTIFY_DETAIL: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'El cuerpo de la solicitud no es JSON válido.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'El cuerpo JSON está vacío.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'El encabezado Content-Length no coincide con el cuerpo.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'La solicitud es demasiado grande: el máximo es 1 MiB.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'El cuerpo debe enviarse como JSON (Content-Type: application/json).',
  FST_ERR_BAD_URL: 'La URL de la solicitud no es válida (codificación % incorrecta).',
  FST_ERR_MAX_PARAM_LENGTH: 'La URL de la solicitud es demasiado larga.',
  JSON_TOO_DEEP: 'El JSON enviado está anidado a demasiados niveles (máximo 64).',
  JSON_TOO_MANY_CONTAINERS: 'El JSON enviado tiene demasiados objetos y listas (máximo 20000).',
  JSON_FORBIDDEN_KEY: 'El JSON enviado contiene una clave no permitida (__proto__ o constructor.prototype).',
};

/** The single place where errors become HTTP: `{statusCode, error, message, detail}` always. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { body, retryAfter } = this.toBody(exception);
    if (body.statusCode >= 500 && !(exception instanceof DomainError)) {
      this.logger.error({ event: 'unhandled_error', err: exception }, 'unhandled_error');
    }
    // A streaming answer already started: the SSE writer reports errors itself.
    if (reply.sent || reply.raw?.headersSent) return;
    // The client hung up: there is no one to answer (the hook in metrics counts it as a 499).
    if (exception instanceof DomainError && exception.code === ErrorCode.CLIENT_CLOSED_REQUEST) return;
    if (retryAfter !== undefined) reply.header('Retry-After', String(retryAfter));
    reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  toBody(exception: unknown): { body: ErrorBody; retryAfter?: number } {
    if (exception instanceof DomainError) {
      const status = statusForCode(exception.code);
      const message = exception instanceof RequestValidationError ? exception.messages.join('; ') : exception.detail;
      return {
        body: {
          statusCode: status,
          error: reasonPhrase(status),
          message,
          detail: exception.detail,
          code: exception.code,
          field: exception.extra.field,
        },
        retryAfter: exception.extra.retryAfterSeconds,
      };
    }
    if (exception instanceof ThrottlerException) {
      return { body: this.plain(429, 'Rate limit exceeded', defaultDetail(429)) };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const given = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const message = typeof given === 'string' ? given : Array.isArray(given) ? given.join('; ') : exception.message;
      const ownSpanish = status === 401 || status === 403;
      return { body: this.plain(status, message, ownSpanish ? message : defaultDetail(status)) };
    }
    const fe = exception as FastifyLikeError;
    if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      const detail = (fe.code && FASTIFY_DETAIL[fe.code]) ?? defaultDetail(fe.statusCode);
      return { body: this.plain(fe.statusCode, fe.message ?? reasonPhrase(fe.statusCode), detail) };
    }
    return { body: this.plain(500, 'Internal server error', defaultDetail(500)) };
  }

  private plain(statusCode: number, message: string, detail: string): ErrorBody {
    return { statusCode, error: reasonPhrase(statusCode), message, detail };
  }
}
