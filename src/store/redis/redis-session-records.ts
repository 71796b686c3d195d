import { SessionRecord, SessionRecords } from '../session-records.port';
import { KEYS } from './redis-keys';
import { RedisConnection } from './redis-connection';

/** Each user-context key is its own hash field, so concurrent merges never overwrite each other. */
const UC = 'uc:';

/**
 * `chat:session:{id}:context` (hash: `created_at`, `last_activity`, `message_count`, `uc:{key}`)
 * and `chat:session:{id}:history` (list of messages), one Lua script per operation (scripts.ts).
 * `created_at` is what makes a session exist: every write checks it in its script.
 */
export class RedisSessionRecords implements SessionRecords {
  constructor(
    private readonly redis: RedisConnection,
    private readonly ttl: number,
    private readonly maxMessages: number,
  ) {}

  create(id: string, createdAt: string, context: ReadonlyMap<string, string>): Promise<boolean> {
    const fields = ['created_at', createdAt, 'last_activity', createdAt, 'message_count', '0', ...prefixed(context)];
    return this.redis.run((c) =>
      c.sessionCreate(KEYS.memoryGate, KEYS.sessionContext(id), KEYS.sessionHistory(id), this.ttl, fields),
    );
  }

  async open(id: string, messages: number) {
    const [flat, history] = await this.redis.run((c) =>
      c.sessionOpen(KEYS.sessionContext(id), KEYS.sessionHistory(id), this.ttl, Math.max(0, messages)),
    );
    const record = decode(flat);
    return { record, messages: record ? history : [] };
  }

  updateContext(id: string, set: ReadonlyMap<string, string>, remove: readonly string[]): Promise<boolean> {
    return this.redis.run((c) =>
      c.sessionUpdate(
        KEYS.memoryGate,
        KEYS.sessionContext(id),
        remove.map((key) => UC + key),
        prefixed(set),
      ),
    );
  }

  append(id: string, messages: readonly string[], lastActivity: string): Promise<boolean> {
    return this.redis.run((c) =>
      c.sessionAppend(
        KEYS.memoryGate,
        KEYS.sessionContext(id),
        KEYS.sessionHistory(id),
        this.ttl,
        this.maxMessages,
        lastActivity,
        messages,
      ),
    );
  }

  messages(id: string): Promise<string[]> {
    return this.redis.run((c) => c.lRange(KEYS.sessionHistory(id), 0, -1));
  }

  ttlSeconds(id: string): Promise<number> {
    return this.redis.run((c) => c.ttl(KEYS.sessionContext(id)));
  }

  async delete(id: string): Promise<boolean> {
    return (await this.redis.run((c) => c.del([KEYS.sessionContext(id), KEYS.sessionHistory(id)]))) > 0;
  }
}

const prefixed = (context: ReadonlyMap<string, string>) => [...context].flatMap(([key, value]) => [UC + key, value]);

/** HGETALL's flat field/value list → the record; null without `created_at`. */
function decode(flat: string[]): SessionRecord | null {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i], flat[i + 1]);
  const createdAt = fields.get('created_at');
  if (!createdAt) return null;
  const context = new Map<string, string>();
  for (const [field, value] of fields) if (field.startsWith(UC)) context.set(field.slice(UC.length), value);
  return {
    createdAt,
    lastActivity: fields.get('last_activity') ?? createdAt,
    messageCount: Number(fields.get('message_count') ?? 0),
    context,
  };
}
