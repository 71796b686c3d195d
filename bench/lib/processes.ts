import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuSeconds, rssMiB } from './machine';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every child the bench started, so Ctrl-C or a crash never leaves one behind. */
const children = new Set<ManagedProcess>();
const extraCleanups: (() => unknown)[] = [];
export function onEmergencyStop(fn: () => unknown) {
  extraCleanups.push(fn);
}
export function stopAllChildren() {
  for (const c of children) c.kill('SIGKILL');
  for (const fn of extraCleanups) {
    try {
      fn();
    } catch {
      /* best effort */
    }
  }
}

/**
 * A server under test as a child process. Its stdout/stderr go to files (as a container runtime
 * would collect them), not through the bench's event loop.
 */
export class ManagedProcess {
  readonly exited: Promise<number | null>;
  readonly logFiles: string[];
  exitCode: number | null = null;
  private readonly child: ChildProcess;
  /** performance.now() at spawn (a CPU profile's time zero, within a few ms). */
  readonly spawnedAt = performance.now();
  /** Highest RSS seen, sampled every 250 ms from spawn to exit (not only during measured windows). */
  peakRssMiB = 0;
  private readonly rssSampler: NodeJS.Timeout;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    opts: { cwd: string; env: Record<string, string | undefined>; logDir: string },
  ) {
    const out = openSync(join(opts.logDir, `${name}.out.log`), 'w');
    const err = openSync(join(opts.logDir, `${name}.err.log`), 'w');
    this.logFiles = [join(opts.logDir, `${name}.out.log`), join(opts.logDir, `${name}.err.log`)];
    this.child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', out, err],
    });
    closeSync(out);
    closeSync(err);
    children.add(this);
    this.rssSampler = setInterval(() => {
      const rss = this.rss();
      if (rss > this.peakRssMiB) this.peakRssMiB = rss;
    }, 250);
    this.rssSampler.unref();
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        clearInterval(this.rssSampler);
        this.exitCode = code ?? -1;
        children.delete(this);
        resolve(code);
      }),
    );
  }

  get pid() {
    return this.child.pid;
  }

  rss(): number {
    return rssMiB(this.pid);
  }

  cpuSeconds(): number {
    return cpuSeconds(this.pid);
  }

  /** Milliseconds from spawn until `check` first succeeds (polled every 10 ms). */
  async waitReady(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitCode !== null) throw new Error(`${this.name} exited with ${this.exitCode}: ${this.tail()}`);
      if (await check().catch(() => false)) return Math.round(performance.now() - this.spawnedAt);
      await sleep(10);
    }
    throw new Error(`${this.name} not ready within ${timeoutMs} ms: ${this.tail()}`);
  }

  /** Last lines of its stderr (then stdout), for error messages. */
  tail(lines = 15): string {
    for (const f of [this.logFiles[1], this.logFiles[0]]) {
      const text = readFileSync(f, 'utf8').trim();
      if (text) return text.split('\n').slice(-lines).join('\n');
    }
    return '(no output)';
  }

  kill(signal: NodeJS.Signals) {
    if (this.exitCode === null) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 15_000): Promise<number | null> {
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** True when GET url answers with `status` (any status when omitted). */
export async function answers(url: string, status?: number): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return status === undefined || res.status === status;
}
