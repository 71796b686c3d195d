import { call, ApiResponse } from './test-app';
import { NginxProxy, PIN_HEADER, UPSTREAM_HEADER } from './nginx-proxy';
import { freePort } from './ports';
import { TestRedis } from './redis-server';
import { ServiceProcess } from './service-process';

/** API keys accepted by every replica (comma-separated rotation list): one per test keeps rate limits apart. */
export const CLUSTER_KEYS = Array.from({ length: 8 }, (_, i) => `replica-test-key-${i}-0123456789abcdef0123456789`);

export interface ClusterOptions {
  replicas?: number;
  /** Env shared by every replica (Redis URL, port and keys are added). */
  env?: Record<string, string>;
  /** Extra env for one replica (e.g. its own fake provider, to tell who called it). */
  perReplica?: (index: number) => Record<string, string>;
}

export interface CallOptions {
  /** Pin the request to this replica (through nginx); omit for round-robin. */
  replica?: number;
  key?: string;
  headers?: Record<string, string>;
}

export interface ClusterResponse extends ApiResponse {
  /** Replicas nginx tried for this request, in order (the last one answered). */
  triedBy: number[];
  servedBy: number;
}

/**
 * N compiled service processes on loopback, one shared throwaway Redis, and a real nginx in front
 * (round-robin; `replica` pins a request). Replicas keep their port across kill/restart.
 */
export class ReplicaCluster {
  readonly replicas: (ServiceProcess | null)[] = [];
  private proxy?: NginxProxy;

  private constructor(
    readonly redis: TestRedis,
    readonly ports: number[],
    private readonly envFor: (i: number) => Record<string, string>,
  ) {}

  static async start(opts: ClusterOptions = {}): Promise<ReplicaCluster> {
    const n = opts.replicas ?? 3;
    const redis = await TestRedis.start();
    const ports: number[] = [];
    while (ports.length < n) {
      const p = await freePort();
      if (!ports.includes(p)) ports.push(p);
    }
    const envFor = (i: number) => ({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      AI_SERVICE_API_KEY: CLUSTER_KEYS.join(','),
      REDIS_URL: redis.url(),
      ...(opts.env ?? {}),
      ...(opts.perReplica?.(i) ?? {}),
      PORT: String(ports[i]),
    });
    // Replicas first, then nginx: it never sees a refused upstream while the pool warms up.
    const cluster = new ReplicaCluster(redis, ports, envFor);
    try {
      await Promise.all(ports.map((_, i) => cluster.restart(i)));
      cluster.proxy = await NginxProxy.start(ports);
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    return cluster;
  }

  get nginx(): NginxProxy {
    if (!this.proxy) throw new Error('nginx is not running');
    return this.proxy;
  }

  /** (Re)starts replica i on its own port and waits until it is ready (Redis connected, knowledge loaded). */
  async restart(i: number) {
    const svc = await ServiceProcess.spawn(this.envFor(i));
    this.replicas[i] = svc;
    await svc.ready(30_000);
    const deadline = Date.now() + 20_000;
    while ((await fetch(`${svc.url}/health/ready`)).status !== 200) {
      if (Date.now() > deadline) throw new Error(`replica ${i} never became ready: ${svc.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return svc;
  }

  replica(i: number): ServiceProcess {
    const svc = this.replicas[i];
    if (!svc) throw new Error(`replica ${i} is not running`);
    return svc;
  }

  /** Through nginx. */
  async call(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<ClusterResponse> {
    const headers = { ...(opts.headers ?? {}) };
    if (opts.replica !== undefined) headers[PIN_HEADER] = String(opts.replica);
    const res = await call(this.nginx.url, opts.key ?? CLUSTER_KEYS[0], method, path, body, { headers });
    const triedBy = this.replicasIn(res.headers.get(UPSTREAM_HEADER) ?? '');
    return { ...res, triedBy, servedBy: triedBy[triedBy.length - 1] ?? -1 };
  }

  /** Straight to one replica, bypassing nginx. */
  direct(i: number, method: string, path: string, body?: unknown, opts: { key?: string } = {}): Promise<ApiResponse> {
    return call(`http://127.0.0.1:${this.ports[i]}`, opts.key ?? CLUSTER_KEYS[0], method, path, body);
  }

  /** Maps nginx's `$upstream_addr` ("127.0.0.1:4001, 127.0.0.1:4002") to replica indexes. */
  replicasIn(upstreamAddr: string): number[] {
    return upstreamAddr
      .split(/[,:]\s*/)
      .map(Number)
      .map((port) => this.ports.indexOf(port))
      .filter((i) => i >= 0);
  }

  /** Kills replica i (SIGKILL by default: no shutdown hook runs) and waits for the exit. */
  async kill(i: number, signal: NodeJS.Signals = 'SIGKILL') {
    const svc = this.replica(i);
    this.replicas[i] = null;
    await svc.stop(signal);
  }

  async stop() {
    await Promise.all(this.replicas.flatMap((svc) => (svc ? [svc.stop('SIGTERM')] : [])));
    await this.proxy?.stop();
    await this.redis.stop();
  }
}
