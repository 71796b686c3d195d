import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode, SessionNotFoundError, StoreUnavailableError } from './domain-error';
import { ErrorResponseDto } from './dto/error-response.dto';
import { defaultDetail, reasonPhrase } from './error-response';

export type ErrorStatus = 400 | 401 | 404 | 413 | 415 | 422 | 429 | 431 | 500 | 502 | 503;

const example = (
  statusCode: ErrorStatus,
  message: string,
  detail = message,
  extra: Partial<ErrorResponseDto> = {},
) => ({
  statusCode,
  error: reasonPhrase(statusCode),
  message,
  detail,
  ...extra,
});

type Entry = ErrorStatus | [ErrorStatus, string] | [ErrorStatus, string, ErrorResponseDto];

const COST_LIMIT_DETAIL =
  'El costo estimado de la consulta (US$ 0,0412) supera el límite de US$ 0,0100 por solicitud; ' +
  'acorte el mensaje o pida al administrador que ajuste MAX_ESTIMATED_COST_PER_REQUEST.';

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };

/** What each status means on this API, with a body the exception filter really writes. */
const ERRORS: Record<ErrorStatus, { description: string; example: ErrorResponseDto; retryAfter?: boolean }> = {
  400: {
    description: 'Solicitud no válida (cuerpo, parámetro o URL); `field` nombra el campo',
    example: example(400, 'message should not be empty', 'El campo "message" es obligatorio y no puede estar vacío.', {
      code: ErrorCode.INVALID_REQUEST,
      field: 'message',
    }),
  },
  401: {
    description: 'Falta la clave de API o no es válida (Authorization: Bearer <AI_SERVICE_API_KEY>)',
    example: example(401, 'Falta la clave de API (encabezado Authorization: Bearer <clave>).'),
  },
  404: {
    description: 'No existe',
    example: example(404, 'Cannot GET /api/nada', defaultDetail(404)),
  },
  413: {
    description: 'Cuerpo de más de 1 MiB',
    example: example(413, 'Request body is too large', defaultDetail(413)),
  },
  415: {
    description: 'El cuerpo no es JSON (Content-Type distinto de application/json)',
    example: example(415, 'Unsupported Media Type', defaultDetail(415)),
  },
  422: {
    description: 'El costo estimado supera MAX_ESTIMATED_COST_PER_REQUEST; la llamada al modelo no se hizo',
    example: example(422, COST_LIMIT_DETAIL, undefined, { code: ErrorCode.COST_LIMIT_EXCEEDED }),
  },
  429: {
    description: 'Límite RATE_LIMIT_PER_MINUTE de la clave de API alcanzado (compartido por todas las réplicas)',
    example: example(429, 'Rate limit exceeded', defaultDetail(429)),
    retryAfter: true,
  },
  431: {
    description: 'Encabezados de la solicitud demasiado grandes',
    example: example(431, 'Client Error', 'Los encabezados de la solicitud son demasiado grandes.'),
  },
  500: {
    description: 'Error interno (un defecto: el registro `unhandled_error` tiene el detalle)',
    example: example(500, 'Internal server error', defaultDetail(500)),
  },
  502: {
    description: 'Ningún proveedor de IA pudo responder, ni siquiera la respuesta sin modelo',
    example: example(502, 'Ningún proveedor de IA pudo responder; intente nuevamente en unos minutos.', undefined, {
      code: ErrorCode.PROVIDER_FAILED,
    }),
  },
  503: {
    description: 'Redis no está disponible',
    example: example(503, new StoreUnavailableError().detail, undefined, { code: ErrorCode.STORE_UNAVAILABLE }),
    retryAfter: true,
  },
};

/** 404 of the chat endpoints that take an existing session. */
export const SESSION_NOT_FOUND: Entry = [
  404,
  'La conversación no existe o expiró (CHAT_SESSION_TTL): el usuario debe abrir una nueva',
  example(404, new SessionNotFoundError().detail, undefined, { code: ErrorCode.SESSION_NOT_FOUND }),
];

/** A 400 of one operation, naming its field as the validation pipe does. */
export function badRequest(description: string, field: string, message: string, detail: string): Entry {
  return [400, description, example(400, message, detail, { code: ErrorCode.INVALID_REQUEST, field })];
}

/** 400 of the endpoints that take a session id in the path. */
export const SESSION_ID_INVALID: Entry = [
  400,
  'El id de sesión no cumple 1–128 caracteres de [A-Za-z0-9_-] (nunca llega a Redis)',
  example(
    400,
    'El campo "session_id" no es válido: debe tener entre 1 y 128 caracteres, solo letras, números, "_" o "-".',
    undefined,
    { code: ErrorCode.INVALID_SESSION_ID, field: 'session_id' },
  ),
];

/**
 * Documents the error answers of an operation with the common body (ErrorResponseDto), one entry
 * per status: a status alone takes the meaning above; `[status, description, example?]` says
 * what it means for this operation.
 */
export function ApiErrorResponses(...entries: Entry[]) {
  return applyDecorators(
    ...entries.map((entry) => {
      const [status, description, body] = Array.isArray(entry) ? entry : [entry];
      const known = ERRORS[status];
      // Explicit JSON content: an operation that produces text/event-stream still errs in JSON.
      return ApiResponse({
        status,
        description: description ?? known.description,
        content: {
          'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) }, example: body ?? known.example },
        },
        ...(known.retryAfter ? { headers: RETRY_AFTER } : {}),
      });
    }),
    ApiExtraModels(ErrorResponseDto),
  );
}

/** Every operation behind the API key: missing/wrong key, rate limit, a bug. */
export const AUTHENTICATED_ERRORS: ErrorStatus[] = [401, 429, 500];
/** Every operation with a JSON body. */
export const JSON_BODY_ERRORS: ErrorStatus[] = [400, 413, 415];
