import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { freePort, sleep, waitFor } from './ports';

/**
 * A throwaway redis-server on a free loopback port, owned by one test file, so tests can stop and
 * restart it (outages) without touching anybody else's Redis. Requires `redis-server` on PATH
 * (.ci/run installs it when missing).
 */
export class TestRedis {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<TestRedis> {
    const r = new TestRedis(await freePort());
    await r.restart();
    return r;
  }

  /** URL of DB 1, as the service uses by default. */
  url(db = 1) {
    return `redis://127.0.0.1:${this.port}/${db}`;
  }

  async restart() {
    if (this.child) return;
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'no',
      ],
      {
        stdio: 'ignore',
      },
    );
    this.child.on('exit', () => (this.child = undefined));
    await waitFor(() => this.isUp(), 10_000, 20);
  }

  async stop() {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    await sleep(20);
  }

  /** Runs a redis-cli command against this server (e.g. to inspect keys as operators do). */
  cli(...args: string[]): string {
    return execFileSync('redis-cli', ['-p', String(this.port), ...args], { encoding: 'utf8' }).trim();
  }

  isUp(): Promise<boolean> {
    return new Promise((resolve) => {
      const s = net.connect(this.port, '127.0.0.1');
      s.once('connect', () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
  }
}
