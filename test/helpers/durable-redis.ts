import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, sleep, waitFor } from './ports';

/**
 * A throwaway redis-server that keeps its data across a crash, as production Redis does (the
 * compose file and the Kubernetes StatefulSet run it with persistence): append-only file fsynced
 * on every write, in a temporary directory. `crash()` kills it with SIGKILL and `restart()` brings
 * it back with everything it had acknowledged, so an outage test can check that nothing written
 * before, during or after the outage is lost. (TestRedis starts without persistence: a restart
 * there wipes the data, which would hide or fake a lost write.)
 */
export class DurableRedis {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'durable-redis-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<DurableRedis> {
    const r = new DurableRedis(await freePort());
    await r.restart();
    return r;
  }

  url(db = 1) {
    return `redis://127.0.0.1:${this.port}/${db}`;
  }

  async restart() {
    if (this.child) return;
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--protected-mode',
      'no',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
    ];
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child.on('exit', () => (this.child = undefined));
    await waitFor(() => this.isUp(), 10_000, 20);
    // Loading the AOF: wait until it answers commands, not just accepts connections.
    await waitFor(() => this.cli('ping') === 'PONG', 10_000, 20);
  }

  /** SIGKILL: no shutdown save; only what the AOF already holds survives. */
  async crash() {
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

  /** Stops for good and removes the data directory. */
  async destroy() {
    await this.crash();
    rmSync(this.dir, { recursive: true, force: true });
  }

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
