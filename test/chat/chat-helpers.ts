import type { TestRedis } from '../helpers/redis-server';

/** The seed's curl bodies, as Odoo's ai.chat.integration sends them. */
export const SEED_NEW_SESSION = {
  user_context: { company_name: 'Test Company', company_rut: '12345678-9', user_role: 'Administrador' },
};
export const seedMessage = (session_id: string) => ({
  session_id,
  message: '¿Cómo genero un DTE 33?',
  user_context: { company_name: 'Test Company' },
});

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every key in DB 1, as an operator would list them. */
export const allKeys = (redis: TestRedis) =>
  redis.cli('-n', '1', '--scan', '--pattern', '*').split('\n').filter(Boolean);
export const ttlOf = (redis: TestRedis, key: string) => Number(redis.cli('-n', '1', 'ttl', key));

export interface SseEvent {
  event: string;
  data: any;
}

/** Parses a text/event-stream body into its events. */
export function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return { event, data: data ? JSON.parse(data) : undefined };
    });
}

/** A metric's value in the Prometheus text (0 when absent). */
export function metricValue(metricsText: string, line: RegExp): number {
  const match = metricsText.split('\n').find((l) => line.test(l));
  return match ? Number(match.split(' ').pop()) : 0;
}

/** Text of a provider message content (string or content blocks). */
export const contentText = (content: unknown): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((b: any) => b.text ?? '').join('') : '';
