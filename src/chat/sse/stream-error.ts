import { DomainError, ErrorCode } from '../../common/domain-error';

export interface StreamErrorPayload {
  code: string;
  detail: string;
}

const INTERRUPTED = 'La respuesta del asistente se interrumpió antes de terminar; intente nuevamente.';

/**
 * The `event: error` payload for a failure after the stream was committed: the domain code and
 * Spanish detail when there is one (the LLM layer's coded stream errors included), never internals.
 */
export function streamErrorPayload(error: unknown): StreamErrorPayload {
  if (error instanceof DomainError) return { code: error.code, detail: error.detail };
  // The LLM layer's LlmStreamError (code such as `stream_idle_timeout` + Spanish `detail`). Errors
  // with a code but no user-facing detail (ECONNRESET…) are internals and stay hidden.
  const coded = error as { code?: unknown; detail?: unknown };
  if (
    coded &&
    typeof coded.code === 'string' &&
    typeof coded.detail === 'string' &&
    /^[A-Za-z][A-Za-z0-9_]*$/.test(coded.code)
  ) {
    return { code: coded.code, detail: coded.detail };
  }
  return { code: ErrorCode.PROVIDER_FAILED, detail: INTERRUPTED };
}
