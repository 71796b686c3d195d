import { Lifecycle } from './lifecycle.service';

describe('Lifecycle', () => {
  it('is serving until the drain begins, then draining with a final-writes deadline', () => {
    const l = new Lifecycle();
    expect([l.draining, l.finalWritesBy]).toEqual([false, Number.POSITIVE_INFINITY]);
    l.beginDrain(1234);
    expect([l.draining, l.finalWritesBy]).toEqual([true, 1234]);
  });

  it('idle() waits for tracked work, also work started while waiting, and ignores its failures', async () => {
    const l = new Lifecycle();
    let release!: () => void;
    const first = l.track(new Promise<void>((r) => (release = r)));
    const failed = l.track(Promise.reject(new Error('run failed')));
    await expect(failed).rejects.toThrow('run failed');
    let idle = false;
    const waiting = l.idle().then(() => (idle = true));
    let releaseLate!: () => void;
    void l.track(new Promise<void>((r) => (releaseLate = r)));
    release();
    await first;
    await Promise.resolve();
    expect(idle).toBe(false);
    expect(l.trackedWork()).toBe(1);
    releaseLate();
    await waiting;
    expect(l.trackedWork()).toBe(0);
  });

  it('aborts the stop signal once, for any number of listeners, without a leak warning', () => {
    const l = new Lifecycle();
    const warn = jest.spyOn(process, 'emitWarning');
    let fired = 0;
    for (let i = 0; i < 50; i++) l.stopSignal.addEventListener('abort', () => fired++, { once: true });
    l.stopInFlightWork();
    l.stopInFlightWork();
    expect(fired).toBe(50);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
