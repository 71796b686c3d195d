import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { defaultDetail, reasonPhrase } from './error-response';

const filter = new AllExceptionsFilter();

/**
 * Errors Fastify raises before any route runs (malformed URL encoding, over-long path parameters):
 * the same JSON body as everywhere else instead of Fastify's own shape.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const { body } = filter.toBody(error);
  void reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
}

const CLIENT_ERROR_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
};

/**
 * Requests Node's HTTP parser rejects (bad request line, CR/LF in headers, broken chunking, huge
 * headers) never reach Fastify: answer them with the same JSON shape, then close the socket.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? 400;
  const detail =
    status === 431
      ? 'Los encabezados de la solicitud son demasiado grandes.'
      : status === 400
        ? 'La solicitud HTTP está mal formada.'
        : defaultDetail(status);
  const body = JSON.stringify({ statusCode: status, error: reasonPhrase(status), message: 'Client Error', detail });
  socket.end(
    `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
