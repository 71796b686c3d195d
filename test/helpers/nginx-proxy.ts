import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, sleep } from './ports';

/** Request header that pins one request to one replica (`0`, `1`, …); absent = round-robin. */
export const PIN_HEADER = 'x-pin-replica';
/** Response header naming the upstream(s) nginx tried, e.g. `127.0.0.1:4001, 127.0.0.1:4002`. */
export const UPSTREAM_HEADER = 'x-upstream';

const NGINX_READY_PATH = '/__nginx_ready';

/** Env var that lets a machine without nginx skip the multi-replica suite on purpose. */
export const SKIP_ENV = 'SKIP_NGINX_TESTS';

/** Path of the nginx binary, or null: NGINX_BIN if set, else Debian's place, else PATH. */
export function findNginx(): string | null {
  if (process.env.NGINX_BIN) return existsSync(process.env.NGINX_BIN) ? process.env.NGINX_BIN : null;
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * nginx.conf for a round-robin pool of loopback upstreams, plus one single-server upstream per
 * replica reached through the pin header. SSE needs `proxy_buffering off` (each delta reaches the
 * client when written) and HTTP/1.1 to the upstream; `proxy_next_upstream error timeout` moves a
 * request whose connection was refused (a dead replica) to the next server.
 */
function nginxConf(opts: { listenPort: number; upstreamPorts: number[]; prefix: string; failTimeoutS?: number }) {
  const failTimeout = opts.failTimeoutS ?? 2;
  const servers = (ports: number[]) =>
    ports.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=${failTimeout}s;`).join('\n');
  const pinned = opts.upstreamPorts.map((p, i) => `  upstream replica_${i} {\n${servers([p])}\n  }`).join('\n');
  const pinMap = opts.upstreamPorts.map((_, i) => `    "${i}" replica_${i};`).join('\n');
  const dir = (name: string) => path.join(opts.prefix, name);
  // Workers run unprivileged; the master opens the logs and chowns the temp paths for them.
  return `worker_processes 1;
pid ${dir('nginx.pid')};
error_log ${dir('error.log')} warn;
events { worker_connections 512; }
http {
  access_log ${dir('access.log')};
  client_body_temp_path ${dir('client_body')};
  proxy_temp_path ${dir('proxy')};
  fastcgi_temp_path ${dir('fastcgi')};
  uwsgi_temp_path ${dir('uwsgi')};
  scgi_temp_path ${dir('scgi')};
  client_max_body_size 4m;

  upstream pool {
${servers(opts.upstreamPorts)}
  }
${pinned}
  map $http_${PIN_HEADER.replace(/-/g, '_')} $target {
    default pool;
${pinMap}
  }

  server {
    listen 127.0.0.1:${opts.listenPort};
    # Answered by nginx itself: readiness polling must not count as upstream failures.
    location = ${NGINX_READY_PATH} { access_log off; return 204; }
    location / {
      proxy_pass http://$target;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffering off;
      proxy_cache off;
      gzip off; # compressing text/event-stream would hold deltas back until the stream ends
      proxy_read_timeout 60s;
      proxy_next_upstream error timeout;
      add_header ${UPSTREAM_HEADER} $upstream_addr always;
    }
  }
}
`;
}

/** A real nginx (Debian's) as a foreground child process in a temp prefix; stop() removes it all. */
export class NginxProxy {
  private stderr = '';
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly prefix: string,
  ) {
    child.stderr!.on('data', (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static async start(upstreamPorts: number[], opts: { failTimeoutS?: number } = {}): Promise<NginxProxy> {
    const bin = findNginx();
    if (!bin)
      throw new Error(
        `nginx is not installed: apt-get install -y nginx-light (or set ${SKIP_ENV}=1 to skip on purpose)`,
      );
    const prefix = mkdtempSync(path.join(os.tmpdir(), 'nginx-'));
    chmodSync(prefix, 0o755); // workers (nobody) must reach the temp paths inside
    const port = await freePort();
    const conf = path.join(prefix, 'nginx.conf');
    writeFileSync(conf, nginxConf({ listenPort: port, upstreamPorts, prefix, failTimeoutS: opts.failTimeoutS }));
    const args = ['-c', conf, '-p', prefix, '-e', path.join(prefix, 'error.log')];
    execFileSync(bin, [...args, '-t', '-q'], { stdio: 'pipe' }); // a bad config fails here, loudly
    const child = spawn(bin, [...args, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const proxy = new NginxProxy(child, port, prefix);
    // If the test process dies without stop(), the master must not outlive it on the port.
    const orphanGuard = () => child.kill('SIGTERM');
    process.once('exit', orphanGuard);
    child.once('exit', () => process.removeListener('exit', orphanGuard));
    await proxy.waitUntilServing();
    return proxy;
  }

  /** Polls until nginx answers; gives up at once, with its own words, if it exited. */
  private async waitUntilServing(timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`nginx exited (${this.child.exitCode}): ${this.stderr}${this.errorLog()}`);
      const up = await fetch(`${this.url}${NGINX_READY_PATH}`).then(
        () => true,
        () => false,
      );
      if (up) return;
      await sleep(50);
    }
    throw new Error(`nginx did not answer within ${timeoutMs} ms: ${this.stderr}${this.errorLog()}`);
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid() {
    return this.child.pid!;
  }

  accessLog() {
    return this.read('access.log');
  }

  errorLog() {
    return this.read('error.log');
  }

  /** Fast shutdown (SIGTERM to the master, which stops its workers), then removes the prefix. */
  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
    rmSync(this.prefix, { recursive: true, force: true });
  }

  private read(name: string) {
    const file = path.join(this.prefix, name);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }
}
