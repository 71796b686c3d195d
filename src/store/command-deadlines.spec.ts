import { CommandDeadlines } from './command-deadlines';

const never = () => new Promise<never>(() => undefined);
const timeout = () => new Error('timed out');

describe('CommandDeadlines', () => {
  it('passes results and errors through, and forgets finished commands', async () => {
    const d = new CommandDeadlines(1000);
    await expect(d.watch(Promise.resolve(7), timeout)).resolves.toBe(7);
    await expect(d.watch(Promise.reject(new Error('boom')), timeout)).rejects.toThrow('boom');
    expect(d.pending()).toBe(0);
  });

  it('rejects each hanging command at its own deadline, oldest first, with one timer', async () => {
    const d = new CommandDeadlines(60);
    const started = performance.now();
    const first = d.watch(never(), timeout);
    await new Promise((r) => setTimeout(r, 30));
    const fast = d.watch(Promise.resolve('ok'), timeout);
    const second = d.watch(never(), timeout);
    await expect(fast).resolves.toBe('ok');
    await expect(first).rejects.toThrow('timed out');
    const firstAt = performance.now() - started;
    await expect(second).rejects.toThrow('timed out');
    const secondAt = performance.now() - started;
    expect(firstAt).toBeGreaterThanOrEqual(59);
    expect(firstAt).toBeLessThan(85);
    expect(secondAt).toBeGreaterThanOrEqual(89);
    expect(d.pending()).toBe(0);
  });

  it('a command that finishes just in time is not rejected, and later commands still time out', async () => {
    const d = new CommandDeadlines(40);
    const late = new Promise((r) => setTimeout(() => r('late but fine'), 20));
    await expect(d.watch(late, timeout)).resolves.toBe('late but fine');
    await expect(d.watch(never(), timeout)).rejects.toThrow('timed out');
  });
});
