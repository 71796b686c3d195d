import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort, waitFor } from './ports';

/** What the image runs: the bundle `npm run build` makes from dist/ (scripts/bundle.mjs). */
export const DIST_MAIN = path.join(__dirname, '..', '..', 'dist', 'bundle', 'main.js');

/** The built service as a real child process (`npm test` builds it first, in `pretest`). */
export class ServiceProcess {
  stdout = '';
  stderr = '';
  exitCode: number | null = null;
  signal: NodeJS.Signals | null = null;
  readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout!.on('data', (d) => (this.stdout += d));
    child.stderr!.on('data', (d) => (this.stderr += d));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.signal = signal;
        resolve(code);
      }),
    );
  }

  static async spawn(env: Record<string, string>, opts: { cwd?: string } = {}): Promise<ServiceProcess> {
    if (!existsSync(DIST_MAIN))
      throw new Error('dist/bundle/main.js missing: run `npm run build` (npm test does it in pretest)');
    const port = env.PORT ? Number(env.PORT) : await freePort();
    const child = spawn(process.execPath, [DIST_MAIN], {
      cwd: opts.cwd ?? path.join(__dirname, '..', '..'),
      env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(child, port);
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async ready(timeoutMs = 20_000) {
    await waitFor(async () => {
      if (this.exitCode !== null) throw new Error(`exited early: ${this.stderr}`);
      return (await fetch(`${this.url}/health/live`)).ok;
    }, timeoutMs);
  }

  /** Parsed JSON log lines from stdout (non-JSON lines are skipped). */
  logLines(): Record<string, any>[] {
    return this.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM') {
    if (this.exitCode === null && this.signal === null) this.child.kill(signal);
    return this.exited;
  }
}
