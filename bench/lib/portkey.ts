import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { answers, ManagedProcess } from './processes';
import { runtimeNode } from './service';

/** Portkey's AI gateway (npm @portkey-ai/gateway): its own Node server, `build/start-server.js`. */
export function portkeyPackage(): { dir: string; version: string } | null {
  try {
    const pkgJson = require.resolve('@portkey-ai/gateway/package.json');
    return { dir: dirname(pkgJson), version: JSON.parse(readFileSync(pkgJson, 'utf8')).version };
  } catch {
    return null;
  }
}

/**
 * Runs the gateway headless (no log UI) in production mode on loopback. It needs no config file:
 * each request names the provider and the upstream with x-portkey-* headers.
 */
export async function startPortkey(dir: string, port: number, logDir: string) {
  // BENCH_PORTKEY_NODE_ARGS: V8/Node flags for the gateway, to give it the same flags as the service.
  const nodeArgs = process.env.BENCH_PORTKEY_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const proc = new ManagedProcess(
    'portkey',
    runtimeNode(),
    [...nodeArgs, join(dir, 'build/start-server.js'), `--port=${port}`, '--headless'],
    {
      cwd: logDir,
      env: { PATH: process.env.PATH, NODE_ENV: 'production' },
      logDir,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const readyMs = await proc.waitReady(() => answers(`${url}/`));
  return { proc, url, readyMs };
}

/** Headers that make Portkey proxy to the fake Anthropic (its base URL ends in /v1, as Anthropic's does). */
export function portkeyHeaders(fakeAnthropicUrl: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    authorization: 'Bearer sk-ant-bench-not-a-real-key',
    'x-portkey-provider': 'anthropic',
    'x-portkey-custom-host': `${fakeAnthropicUrl}/v1`,
  };
}
