import { ErrorReply } from 'redis';
import { meansUnavailable, replyCode } from './redis-replies';

describe('Redis error replies', () => {
  it.each([
    ["OOM command not allowed when used memory > 'maxmemory'.", 'OOM', true],
    ["OOM command not allowed when used memory > 'maxmemory'. script: 9d0c, on @user_script:1.", 'OOM', true],
    ["READONLY You can't write against a read only replica.", 'READONLY', true],
    ["MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", 'MASTERDOWN', true],
    ['LOADING Redis is loading the dataset in memory', 'LOADING', true],
    ['BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.', 'BUSY', true],
    [
      'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.',
      'MISCONF',
      true,
    ],
    ['NOREPLICAS Not enough good replicas to write.', 'NOREPLICAS', true],
    ['EXECABORT Transaction discarded because of previous errors.', 'EXECABORT', true],
    ['WRONGTYPE Operation against a key holding the wrong kind of value', 'WRONGTYPE', false],
    ["ERR unknown command 'FOO'", 'ERR', false],
    ['BUSYKEY Target key name already exists.', 'BUSYKEY', false],
  ])('reads "%s" as %s (unavailable: %s)', (message, code, unavailable) => {
    const reply = new ErrorReply(message);
    expect(replyCode(reply)).toBe(code);
    expect(meansUnavailable(replyCode(reply))).toBe(unavailable);
  });

  it('is not fooled by an ordinary error with the same text', () => {
    expect(replyCode(new Error('OOM whatever'))).toBeNull();
    expect(meansUnavailable(null)).toBe(false);
  });
});
