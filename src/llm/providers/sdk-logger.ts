import { Logger } from '@nestjs/common';
import { logEvent } from '../../common/log-event';

/**
 * What the SDKs log (e.g. an unparsable stream chunk) goes to our JSON logs, first argument only:
 * the later arguments can hold request details or answer text, which never reach a log line.
 */
export function sdkLogger(provider: string) {
  const logger = new Logger(`${provider}-sdk`);
  const emit = (level: 'warn' | 'debug') => (message: unknown) =>
    logEvent(
      logger,
      `${provider}_sdk_log`,
      { sdk_message: typeof message === 'string' ? message.slice(0, 120) : undefined },
      level,
    );
  return { error: emit('warn'), warn: emit('warn'), info: emit('debug'), debug: emit('debug') };
}
