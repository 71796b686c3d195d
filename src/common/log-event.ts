import { Logger } from '@nestjs/common';

/**
 * One JSON log line per named event (the seeds' event names), e.g.
 * logEvent(logger, 'chat_message_received', { session_id, message_length }).
 * Callers pass sizes and ids, never message text, prompts or keys.
 */
export function logEvent(
  logger: Logger,
  event: string,
  fields: Record<string, unknown> = {},
  level: 'log' | 'warn' | 'error' | 'debug' = 'log',
) {
  logger[level]({ event, ...fields, msg: event });
}
