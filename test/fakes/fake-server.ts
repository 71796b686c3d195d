import { createHash } from 'node:crypto';
import http, { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/** One request as the fake received it (body parsed as JSON when it was JSON). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  /** True once the client closed the connection before the fake finished answering. */
  closedByClient?: boolean;
}

/**
 * A switchable failure. Without `times` it stays until `fault(null)`; with `times` it applies to
 * that many matching requests and then clears itself.
 */
export interface Fault {
  /** Answer with this HTTP status and the provider's real error body. */
  status?: number;
  /** Seconds, sent as `retry-after` with a status fault. */
  retryAfter?: number;
  /** Error message in the body (a realistic default otherwise). */
  message?: string;
  /** Wait this long before answering (use a value past the client timeout). */
  delayMs?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** 200 with a broken JSON body (or a broken SSE data line when streaming). */
  malformed?: boolean;
  /** Streaming: destroy the socket after this many content deltas. */
  streamCutAfter?: number;
  /** Streaming: send the preamble and this many deltas, then go silent (keeps the socket open). */
  stallAfter?: number;
  /** Anthropic streaming: a 200 SSE stream whose first event is `event: error` overloaded_error. */
  overloadedEvent?: boolean;
  times?: number;
}

interface FakeUsageOverride {
  [key: string]: unknown;
}

export interface ReplyValue {
  text: string;
  /** Wire-format usage fields merged over the computed ones. */
  usage?: FakeUsageOverride;
}

export type Reply = string | ReplyValue | ((req: RecordedRequest) => string | ReplyValue);

/** Knob for benchmarks: time to first byte and gap between streamed chunks. */
export interface Latency {
  firstByteMs?: number;
  chunkMs?: number;
}

/** Unref'd: a fake still "thinking" (a long delay fault) must not keep the test process alive. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/** The fakes' token count: ~4 characters per token, at least 1 for non-empty text. */
export const fakeTokens = (text: string) => (text ? Math.max(1, Math.ceil(text.length / 4)) : 0);

/** Splits text into word-sized deltas, keeping whitespace, as providers stream it. */
export const toDeltas = (text: string) => text.match(/\S+\s*|\s+/g) ?? [];

export const fingerprint = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Plain node:http server shared by FakeAnthropic and FakeOpenAI: recording, faults, latency. */
export abstract class FakeLlmServer {
  readonly requests: RecordedRequest[] = [];
  protected server!: http.Server;
  protected port = 0;
  private currentFault: Fault | null = null;
  private replySpec: Reply;
  private sockets = new Set<Socket>();
  private cutting = new WeakSet<ServerResponse>();
  protected latencyKnob: Latency = {};

  protected constructor(defaultReply: string) {
    this.replySpec = defaultReply;
  }

  /** Base URL to hand to the SDK (ANTHROPIC_BASE_URL / OPENAI_BASE_URL). */
  abstract get url(): string;

  protected abstract handle(req: RecordedRequest, res: ServerResponse, fault: Fault | null): Promise<void>;

  protected async listen() {
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  reply(spec: Reply) {
    this.replySpec = spec;
  }

  fault(f: Fault | null) {
    this.currentFault = f ? { ...f } : null;
  }

  latency(l: Latency) {
    this.latencyKnob = { ...l };
  }

  /** Forgets recorded requests, faults, latency (the reply stays). */
  reset() {
    this.requests.length = 0;
    this.currentFault = null;
    this.latencyKnob = {};
  }

  /** The most recent request. */
  get lastRequest(): RecordedRequest | undefined {
    return this.requests[this.requests.length - 1];
  }

  async close() {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  protected resolveReply(req: RecordedRequest): ReplyValue {
    const value = typeof this.replySpec === 'function' ? this.replySpec(req) : this.replySpec;
    return typeof value === 'string' ? { text: value } : value;
  }

  /** Takes the fault for this request (counting down `times`); `applies` filters stream-only faults. */
  protected takeFault(applies: (f: Fault) => boolean): Fault | null {
    const f = this.currentFault;
    if (!f || !applies(f)) return null;
    if (f.times !== undefined) {
      f.times -= 1;
      if (f.times <= 0) this.currentFault = null;
    }
    return f;
  }

  /** Writes an SSE chunk and waits until it is flushed; false when the client went away. */
  protected write(res: ServerResponse, chunk: string): Promise<boolean> {
    if (res.destroyed || res.writableEnded) return Promise.resolve(false);
    return new Promise((resolve) => res.write(chunk, (err) => resolve(!err)));
  }

  /** Kills the connection mid-response (what a crashed upstream or a cut network looks like). */
  protected cut(res: ServerResponse) {
    this.cutting.add(res);
    res.socket?.destroy();
  }

  /** Simulated network/processing latency before the first byte. */
  protected async firstByteDelay(fault: Fault | null) {
    const ms = (fault?.delayMs ?? 0) + (this.latencyKnob.firstByteMs ?? 0);
    if (ms > 0) await sleep(ms);
  }

  protected async chunkDelay() {
    if (this.latencyKnob.chunkMs) await sleep(this.latencyKnob.chunkMs);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      /* kept as text */
    }
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0],
      headers: req.headers,
      body,
    };
    this.requests.push(recorded);
    res.on('close', () => {
      if (!res.writableFinished && !this.cutting.has(res)) recorded.closedByClient = true;
    });
    const streaming = body?.stream === true;
    const fault = this.takeFault((f) => {
      if (f.overloadedEvent || f.streamCutAfter !== undefined || f.stallAfter !== undefined) return streaming;
      return true;
    });
    try {
      if (fault?.drop) {
        await this.firstByteDelay(fault);
        this.cutting.add(res);
        req.socket.destroy();
        return;
      }
      await this.handle(recorded, res, fault);
    } catch (e) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      } else res.destroy();
    }
  }
}
