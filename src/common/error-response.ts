import { ErrorCode } from './domain-error';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  detail: string;
  code?: string;
  field?: string;
}

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.INVALID_REQUEST]: 400,
  [ErrorCode.INVALID_SESSION_ID]: 400,
  [ErrorCode.SESSION_NOT_FOUND]: 404,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.STORE_UNAVAILABLE]: 503,
  [ErrorCode.KNOWLEDGE_NOT_LOADED]: 503,
  [ErrorCode.COST_LIMIT_EXCEEDED]: 422,
  [ErrorCode.PROVIDER_FAILED]: 502,
  [ErrorCode.PROVIDER_REJECTED]: 502,
  [ErrorCode.SHUTTING_DOWN]: 503,
  [ErrorCode.CLIENT_CLOSED_REQUEST]: 499,
};

export const statusForCode = (code: ErrorCode): number => STATUS_BY_CODE[code];

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  499: 'Client Closed Request',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const reasonPhrase = (status: number): string => REASON[status] ?? (status >= 500 ? 'Error' : 'Client Error');

/** Spanish sentence for a status when nothing more specific is known. */
export function defaultDetail(status: number): string {
  switch (status) {
    case 401:
      return 'Falta la clave de API o no es válida (encabezado Authorization: Bearer <clave>).';
    case 404:
      return 'El recurso solicitado no existe.';
    case 405:
      return 'Método HTTP no permitido para esta ruta.';
    case 413:
      return 'La solicitud es demasiado grande: el máximo es 1 MiB.';
    case 415:
      return 'El cuerpo debe enviarse como JSON (Content-Type: application/json).';
    case 429:
      return 'Demasiadas solicitudes con esta clave de API; espere unos segundos e intente nuevamente.';
    case 503:
      return 'El servicio no está disponible temporalmente; intente nuevamente en unos segundos.';
    default:
      return status >= 500
        ? 'Ocurrió un error interno en el servicio de IA; intente nuevamente.'
        : 'La solicitud no es válida.';
  }
}
