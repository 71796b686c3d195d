import { DomainError, ErrorCode } from '../../common/domain-error';
import { LlmInterruptedError } from '../../llm/llm.types';

export interface StreamErrorPayload {
  code: string;
  detail: string;
}

const INTERRUPTED = 'La respuesta del asistente se interrumpió antes de terminar; intente nuevamente.';

/**
 * The `event: error` payload for a failure after the stream was committed. Only our own typed
 * errors carry a code and a Spanish detail meant for the user; anything else (ECONNRESET, a bug)
 * is an internal and is reported as PROVIDER_FAILED without its text.
 */
export function streamErrorPayload(error: unknown): StreamErrorPayload {
  if (error instanceof DomainError || error instanceof LlmInterruptedError)
    return { code: error.code, detail: error.detail };
  return { code: ErrorCode.PROVIDER_FAILED, detail: INTERRUPTED };
}
