import { DomainError, ErrorCode } from '../../common/domain-error';

/**
 * Session ids are the service's UUIDs or ids the caller names (Odoo's wizard sends
 * `chat_{user}_{8 hex}`): 1–128 of [A-Za-z0-9_-]. Nothing else may ever become part of a Redis key
 * (no `:`, `/`, `*`, spaces), so the check happens before any store call.
 */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

const INVALID_SESSION_ID_DETAIL =
  'El campo "session_id" no es válido: debe tener entre 1 y 128 caracteres, solo letras, números, "_" o "-".';

export function isValidSessionId(id: unknown): id is string {
  return typeof id === 'string' && SESSION_ID_PATTERN.test(id);
}

export function assertSessionId(id: unknown): string {
  if (!isValidSessionId(id)) {
    throw new DomainError(ErrorCode.INVALID_SESSION_ID, INVALID_SESSION_ID_DETAIL, { field: 'session_id' });
  }
  return id;
}
