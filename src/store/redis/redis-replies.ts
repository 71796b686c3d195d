import { ErrorReply } from 'redis';

/**
 * Error replies with which a live Redis says "not now" rather than "your command is wrong": out of
 * memory under noeviction (OOM), a replica after a failover (READONLY), a replica cut from its
 * master (MASTERDOWN), loading its dataset (LOADING), a script past busy-reply-threshold (BUSY),
 * failed persistence (MISCONF), min-replicas not met (NOREPLICAS), cluster states (TRYAGAIN,
 * CLUSTERDOWN). EXECABORT too: it reports that a command was refused while queued in MULTI, and the
 * store's transactions are fixed command shapes, so what refused it was one of the above.
 * Anything else (WRONGTYPE, ERR syntax…) is a bug and stays one.
 */
const UNAVAILABLE_CODES = new Set([
  'OOM',
  'READONLY',
  'MASTERDOWN',
  'LOADING',
  'BUSY',
  'MISCONF',
  'NOREPLICAS',
  'TRYAGAIN',
  'CLUSTERDOWN',
  'EXECABORT',
]);

/** The reply's code (its first word, e.g. `OOM`) when `e` is a Redis error reply, else null. */
export function replyCode(e: unknown): string | null {
  if (!(e instanceof ErrorReply)) return null;
  const message = String(e.message ?? '');
  const space = message.indexOf(' ');
  return space > 0 ? message.slice(0, space) : message;
}

/** True for a reply that means Redis cannot serve the command now (an outage), not that it is wrong. */
export function meansUnavailable(code: string | null): boolean {
  return code !== null && UNAVAILABLE_CODES.has(code);
}
