import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

export interface FakeStats {
  counts: { chat: number; validation: number; other: number };
  lastChatBody: any;
  /** The last (up to 64) chat request bodies, oldest first. */
  chatBodies: any[];
}

/** Parent side of lib/fake-llm.child.ts. */
export class FakeLlmProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /** `firstByteMs`: the fake waits that long before answering (a slow model), 0 = at once. */
  static async start(firstByteMs = 0): Promise<FakeLlmProcess> {
    const child = fork(join(__dirname, 'fake-llm.child.ts'), [], {
      execArgv: ['-r', require.resolve('ts-node/register/transpile-only')],
      env: {
        ...process.env,
        TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.json'),
        FAKE_FIRST_BYTE_MS: String(firstByteMs),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fake LLM did not start within 60 s')), 60_000);
      child.once('exit', (code) => reject(new Error(`fake LLM exited (${code})`)));
      child.on('message', (m: any) => {
        if (m?.type === 'ready') {
          clearTimeout(timer);
          resolve(m.url);
        }
      });
    });
    return new FakeLlmProcess(child, url);
  }

  get pid() {
    return this.child.pid;
  }

  stats(): Promise<FakeStats> {
    return new Promise((resolve) => {
      const onMessage = (m: any) => {
        if (m?.type !== 'stats') return;
        this.child.off('message', onMessage);
        resolve({ counts: m.counts, lastChatBody: m.lastChatBody, chatBodies: m.chatBodies ?? [] });
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'stats' });
    });
  }

  stop() {
    if (this.child.connected) this.child.disconnect();
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}
