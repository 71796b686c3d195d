/** Every failure a service may raise. The exception filter maps each code to HTTP in one place. */
export enum ErrorCode {
  INVALID_REQUEST = 'INVALID_REQUEST',
  INVALID_SESSION_ID = 'INVALID_SESSION_ID',
  SESSION_NOT_FOUND = 'SESSION_NOT_FOUND',
  NOT_FOUND = 'NOT_FOUND',
  STORE_UNAVAILABLE = 'STORE_UNAVAILABLE',
  KNOWLEDGE_NOT_LOADED = 'KNOWLEDGE_NOT_LOADED',
  COST_LIMIT_EXCEEDED = 'COST_LIMIT_EXCEEDED',
  PROVIDER_FAILED = 'PROVIDER_FAILED',
  PROVIDER_REJECTED = 'PROVIDER_REJECTED',
  SHUTTING_DOWN = 'SHUTTING_DOWN',
  /** The client hung up before the answer: nothing can be sent (nginx's 499 convention). */
  CLIENT_CLOSED_REQUEST = 'CLIENT_CLOSED_REQUEST',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** One human-readable sentence in Spanish: Odoo shows exactly this to its user. */
    readonly detail: string,
    readonly extra: { field?: string; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(detail);
    this.name = code;
  }
}

export class StoreUnavailableError extends DomainError {
  constructor(cause?: unknown) {
    super(
      ErrorCode.STORE_UNAVAILABLE,
      'El almacenamiento del servicio (Redis) no está disponible en este momento; intente nuevamente en unos segundos.',
      { retryAfterSeconds: 5, cause },
    );
  }
}

export class SessionNotFoundError extends DomainError {
  constructor() {
    super(
      ErrorCode.SESSION_NOT_FOUND,
      'La conversación no existe o expiró por inactividad. Abra una nueva conversación para continuar.',
    );
  }
}

/** The instance is stopping (rolling update, eviction): the request is safe to send again at once. */
export class ShuttingDownError extends DomainError {
  constructor(cause?: unknown) {
    super(
      ErrorCode.SHUTTING_DOWN,
      'El servicio se está reiniciando y no alcanzó a terminar esta solicitud; envíela nuevamente.',
      { retryAfterSeconds: 1, cause },
    );
  }
}

/**
 * The client went away before the answer was ready (its connection closed). Not a fault of the
 * request nor of the service: it is logged and counted as 499, never as a 400 or a 5xx.
 */
export class ClientClosedRequestError extends DomainError {
  constructor(cause?: unknown) {
    super(ErrorCode.CLIENT_CLOSED_REQUEST, 'La solicitud fue cancelada por el cliente antes de completarse.', {
      cause,
    });
  }
}
