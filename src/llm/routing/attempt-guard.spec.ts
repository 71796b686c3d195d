import { AttemptCut, AttemptGuard } from './attempt-guard';

const never = () => new Promise<never>(() => undefined);

describe('AttemptGuard', () => {
  it('cuts a wait at its own limit and aborts the signal with that reason', async () => {
    const g = new AttemptGuard(undefined, Date.now() + 5000);
    await expect(g.wait(never(), 30, 'first_token')).rejects.toEqual(new AttemptCut('first_token'));
    expect(g.signal.aborted).toBe(true);
    expect(g.reason).toBe('first_token');
    g.dispose();
  });

  it('the whole-attempt deadline wins over a longer per-wait limit', async () => {
    const g = new AttemptGuard(undefined, Date.now() + 40);
    await expect(g.wait(never(), 5000, 'idle')).rejects.toMatchObject({ reason: 'total' });
    g.dispose();
  });

  it("follows the caller's signal, also when it was already aborted", async () => {
    const c = new AbortController();
    const g = new AttemptGuard(c.signal, Date.now() + 5000);
    setTimeout(() => c.abort(), 10);
    await expect(g.wait(never())).rejects.toMatchObject({ reason: 'client' });
    const g2 = new AttemptGuard(c.signal, Date.now() + 5000);
    await expect(g2.wait(Promise.resolve(1))).rejects.toMatchObject({ reason: 'client' });
    g.dispose();
    g2.dispose();
  });

  it("follows the service's stop signal (shutdown), which wins over a client leaving later", async () => {
    const stop = new AbortController();
    const client = new AbortController();
    const g = new AttemptGuard(client.signal, Date.now() + 5000, stop.signal);
    setTimeout(() => {
      stop.abort();
      client.abort();
    }, 10);
    await expect(g.wait(never())).rejects.toMatchObject({ reason: 'shutdown' });
    expect(g.signal.aborted).toBe(true);
    const g2 = new AttemptGuard(undefined, Date.now() + 5000, stop.signal);
    expect(g2.reason).toBe('shutdown');
    g.dispose();
    g2.dispose();
  });

  it('passes results through untouched', async () => {
    const g = new AttemptGuard(undefined, Date.now() + 5000);
    await expect(g.wait(Promise.resolve('ok'), 100, 'idle')).resolves.toBe('ok');
    expect(g.signal.aborted).toBe(false);
    g.dispose();
  });
});
