import { bearerToken, keyFingerprint } from '../common/api-key';

/** Who a request counts against: its API key (fingerprinted, never the key itself), else its address. */
export function callerTracker(headers: Record<string, string | string[] | undefined>, ip: string): string {
  const token = bearerToken(headers.authorization);
  return token ? `key:${keyFingerprint(token)}` : `ip:${ip}`;
}
