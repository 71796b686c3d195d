import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, sleep, waitFor } from './ports';

export interface TestRedisOptions {
  /**
   * Keep data across a crash, as production Redis does (compose and the Kubernetes StatefulSet run
   * it with persistence): append-only file fsynced on every write, in a temporary directory. Without
   * it a restart wipes the data, which would hide or fake a lost write in an outage test.
   */
  durable?: boolean;
}

/**
 * A throwaway redis-server on a free loopback port, owned by one test file, so tests can stop and
 * restart it (outages) without touching anybody else's Redis. Requires `redis-server` on PATH
 * (.ci/install-deps installs it when missing).
 */
export class TestRedis {
  private child?: ChildProcess;
  private readonly dir?: string;

  private constructor(
    readonly port: number,
    opts: TestRedisOptions,
  ) {
    if (opts.durable) this.dir = mkdtempSync(path.join(tmpdir(), 'test-redis-'));
  }

  static async start(opts: TestRedisOptions = {}): Promise<TestRedis> {
    const r = new TestRedis(await freePort(), opts);
    await r.restart();
    return r;
  }

  /** URL of DB 1, as the service uses by default. */
  url(db = 1) {
    return `redis://127.0.0.1:${this.port}/${db}`;
  }

  async restart() {
    if (this.child) return;
    const persistence = this.dir
      ? ['--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no'];
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--protected-mode', 'no', '--save', ''];
    this.child = spawn('redis-server', [...args, ...persistence], { stdio: 'ignore' });
    this.child.on('exit', () => (this.child = undefined));
    await waitFor(() => this.isUp(), 10_000, 20);
    // Loading the AOF: wait until it answers commands, not just accepts connections.
    if (this.dir) await waitFor(() => this.cli('ping') === 'PONG', 10_000, 20);
  }

  /** SIGKILL: no shutdown save; a durable server keeps only what its AOF already holds. */
  async stop() {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    await sleep(20);
  }

  /** SIGSTOP: the server keeps its sockets open but answers nothing (a hung Redis, a partition). */
  freeze() {
    this.child?.kill('SIGSTOP');
  }

  thaw() {
    this.child?.kill('SIGCONT');
  }

  /** Stops for good and removes a durable server's data directory. */
  async destroy() {
    await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
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
