import { createHash } from 'node:crypto';
import type { RedisClientType } from 'redis';

/** A Lua script run with EVALSHA, falling back to EVAL once when Redis does not know it yet. */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: RedisClientType, keys: string[], args: (string | number)[]): Promise<unknown> {
    const options = { keys, arguments: args.map(String) };
    try {
      return await client.evalSha(this.sha, options);
    } catch (e) {
      if (!String((e as Error).message).startsWith('NOSCRIPT')) throw e;
      return client.eval(this.source, options);
    }
  }
}

export const INCR_WITH_TTL = new RedisScript(`
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
local t = redis.call('PTTL', KEYS[1])
if tonumber(ARGV[2]) > 0 and t == -1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  t = tonumber(ARGV[2])
end
return {v, t}`);
