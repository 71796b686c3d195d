import { CommandDeadlines } from './command-deadlines';

const never = () => new Promise<never>(() => undefined);
const timeout = () => new Error('timed out');

describe('CommandDeadlines', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Records when (fake ms since the start) each watched command settled, and how. */
  function recorder() {
    const start = Date.now();
    const settled: string[] = [];
    const track = (name: string, p: Promise<unknown>) =>
      p.then(
        () => settled.push(`${name} ok at ${Date.now() - start}`),
        (e: Error) => settled.push(`${name} ${e.message} at ${Date.now() - start}`),
      );
    return { settled, track };
  }

  it('passes results and errors through, and forgets finished commands', async () => {
    const d = new CommandDeadlines(1000, () => Date.now());
    await expect(d.watch(Promise.resolve(7), timeout)).resolves.toBe(7);
    await expect(d.watch(Promise.reject(new Error('boom')), timeout)).rejects.toThrow('boom');
    expect(d.pending()).toBe(0);
  });

  it('rejects each hanging command at its own deadline, oldest first, with one timer', async () => {
    const d = new CommandDeadlines(60, () => Date.now());
    const { settled, track } = recorder();
    void track('first', d.watch(never(), timeout));
    await jest.advanceTimersByTimeAsync(30);
    void track('fast', d.watch(Promise.resolve('ok'), timeout));
    void track('second', d.watch(never(), timeout));
    expect(jest.getTimerCount()).toBe(1);

    await jest.advanceTimersByTimeAsync(30);
    expect(settled).toEqual(['fast ok at 30']);
    await jest.advanceTimersByTimeAsync(1);
    expect(settled).toEqual(['fast ok at 30', 'first timed out at 61']);
    expect(jest.getTimerCount()).toBe(1);

    await jest.advanceTimersByTimeAsync(29);
    expect(settled).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(settled).toEqual(['fast ok at 30', 'first timed out at 61', 'second timed out at 91']);
    expect(d.pending()).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a command that finishes just in time is not rejected, and later commands still time out', async () => {
    const d = new CommandDeadlines(40, () => Date.now());
    const { settled, track } = recorder();
    void track('late', d.watch(new Promise((r) => setTimeout(() => r('fine'), 39)), timeout));
    await jest.advanceTimersByTimeAsync(39);
    void track('hung', d.watch(never(), timeout));
    await jest.advanceTimersByTimeAsync(41);
    expect(settled).toEqual(['late ok at 39', 'hung timed out at 80']);
  });
});
