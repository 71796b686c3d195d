import { FakeAnthropic } from '../fakes/fake-anthropic';
import { FakeOpenAI } from '../fakes/fake-openai';
import { waitFor } from '../helpers/ports';
import { CLUSTER_KEYS, ClusterResponse, ReplicaCluster } from '../helpers/replica-cluster';
import { anthropicEnv, describeWithNginx, fakePerReplica } from './multi-replica-support';

const [LOAD_KEY, BREAKER_KEY] = CLUSTER_KEYS;
const BREAKER_THRESHOLD = 2;

interface Turn {
  session: number;
  message: string;
  startedAt: number;
  endedAt: number;
  res?: ClusterResponse;
  error?: string;
}

describeWithNginx('replica faults behind nginx', () => {
  let cluster: ReplicaCluster;
  let fakes: FakeAnthropic[];
  let openai: FakeOpenAI;

  beforeAll(async () => {
    fakes = await fakePerReplica(3);
    openai = await FakeOpenAI.start();
    cluster = await ReplicaCluster.start({
      env: {
        LLM_MAX_RETRIES: '0',
        RATE_LIMIT_PER_MINUTE: '10000', // the load below sends a few hundred turns with one key
        LLM_BREAKER_THRESHOLD: String(BREAKER_THRESHOLD),
        LLM_BREAKER_HALF_OPEN_MS: '120000', // stays open for the whole test
        OPENAI_API_KEY: 'test-openai-key',
        OPENAI_BASE_URL: openai.url,
      },
      perReplica: (i) => anthropicEnv(fakes[i]),
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await Promise.all([...(fakes ?? []), ...(openai ? [openai] : [])].map((f) => f.close()));
  });

  it('a replica SIGKILLed mid-run: nginx routes around it, sessions (in Redis) survive, and it rejoins after a restart', async () => {
    fakes.forEach((f) => f.latency({ firstByteMs: 80 })); // keeps turns in flight when the kill lands
    // One session born on each replica, including the one about to die.
    const sessions: string[] = [];
    for (const r of [0, 1, 2]) {
      const res = await cluster.call('POST', '/api/chat/session/new', {}, { replica: r, key: LOAD_KEY });
      expect(res).toMatchObject({ status: 200, servedBy: r });
      sessions.push(res.json.session_id);
    }

    // Three clients, one per session, each sending turns back to back through nginx (round-robin).
    // Replica 1 is SIGKILLed after 9 answered turns; the load goes on past nginx's fail_timeout
    // (2 s), so nginx both marks it down and later tries it again (refused) and moves on.
    // Turns inside replica 1 at the kill are lost with a 502: nginx does not replay a POST it already
    // sent (replaying a chat turn could bill it twice).
    const turns: Turn[] = [];
    let killedAt = 0;
    // When the killed process had exited: on a busy machine that can be well after the signal.
    let deadAt = 0;
    const KEEP_GOING_MS = 4_000;
    const worker = async (s: number) => {
      for (let t = 0; !killedAt || Date.now() - killedAt < KEEP_GOING_MS; t++) {
        const turn: Turn = {
          session: s,
          message: `Sesión ${s}, pregunta ${t}: ¿plazo de envío al SII?`,
          startedAt: Date.now(),
          endedAt: 0,
        };
        turns.push(turn);
        try {
          turn.res = await cluster.call(
            'POST',
            '/api/chat/message',
            { session_id: sessions[s], message: turn.message },
            { key: LOAD_KEY },
          );
        } catch (e) {
          turn.error = (e as Error).message;
        }
        turn.endedAt = Date.now();
        if (!killedAt && turns.filter((x) => x.endedAt).length >= 9) {
          killedAt = Date.now();
          void cluster.kill(1, 'SIGKILL').then(() => (deadAt = Date.now()));
        }
        if (t > 200) throw new Error('load did not stop'); // bounded whatever happens
      }
    };
    await Promise.all([0, 1, 2].map(worker));
    fakes.forEach((f) => f.latency({}));

    expect(killedAt).toBeGreaterThan(0);
    expect(turns.every((t) => !t.error)).toBe(true); // nginx always answered
    const before = turns.filter((t) => t.endedAt < killedAt);
    expect(deadAt).toBeGreaterThan(0);
    const after = turns.filter((t) => t.startedAt > deadAt);
    const failed = turns.filter((t) => t.res!.status !== 200);
    // Before the kill all three replicas served; after it, replica 1 never answered yet nothing failed.
    expect(new Set(before.map((t) => t.res!.servedBy))).toEqual(new Set([0, 1, 2]));
    expect(after.length).toBeGreaterThanOrEqual(12);
    expect(after.every((t) => t.res!.status === 200 && t.res!.servedBy !== 1)).toBe(true);
    // Only a turn that was inside replica 1 at the instant of the kill may be lost (502 from nginx).
    for (const t of failed) {
      expect(t.res!.status).toBe(502);
      expect(t.startedAt).toBeLessThanOrEqual(deadAt);
    }
    expect(failed.length).toBeLessThanOrEqual(3);
    // nginx tried the dead replica, was refused, and moved the request on.
    expect(after.some((t) => t.res!.triedBy.length === 2 && t.res!.triedBy[0] === 1)).toBe(true);
    expect(cluster.nginx.errorLog()).toMatch(
      /connect\(\) failed \(111: Connection refused\) while connecting to upstream/,
    );
    await expect(fetch(`http://127.0.0.1:${cluster.ports[1]}/health/live`)).rejects.toThrow();
    expect((await cluster.call('GET', '/health', undefined, { replica: 1 })).status).toBe(502); // a pin to a dead replica is not rerouted

    // Every session, the one born on the dead replica included, holds every answered turn, in order.
    for (const [s, id] of sessions.entries()) {
      const view = await cluster.call('GET', `/api/chat/session/${id}`, undefined, { key: LOAD_KEY });
      expect(view.status).toBe(200);
      const userMessages: string[] = view.json.messages
        .filter((m: any) => m.role === 'user')
        .map((m: any) => m.content);
      const answered = turns.filter((t) => t.session === s && t.res!.status === 200).map((t) => t.message);
      expect(userMessages.filter((m) => answered.includes(m))).toEqual(answered);
      expect(userMessages.length).toBeLessThanOrEqual(turns.filter((t) => t.session === s).length);
    }

    // Restarted on the same port, replica 1 rejoins the pool once nginx's fail_timeout (2 s) passes.
    await cluster.restart(1);
    await waitFor(
      async () =>
        (await cluster.call('GET', '/api/chat/knowledge/search?query=iva', undefined, { key: LOAD_KEY })).servedBy ===
        1,
      10_000,
      100,
    );
    const resumed = await cluster.call(
      'POST',
      '/api/chat/message',
      { session_id: sessions[1], message: 'De vuelta en la réplica 1' },
      { replica: 1, key: LOAD_KEY },
    );
    expect(resumed).toMatchObject({ status: 200, servedBy: 1 });
  }, 60_000);

  it('the circuit breaker is shared: opened through one replica, the others report circuit_open and skip Anthropic without calling it', async () => {
    const anthropicStatus = async (r: number) =>
      (await cluster.direct(r, 'GET', '/health')).json.dependencies.anthropic.status;
    for (const r of [0, 1, 2]) expect(await anthropicStatus(r)).toBe('configured');
    fakes.forEach((f) => f.reset());
    openai.reset();

    fakes[0].fault({ status: 500 });
    for (let i = 0; i < BREAKER_THRESHOLD; i++) {
      const res = await cluster.call(
        'POST',
        '/api/chat/message',
        { message: `¿Cómo emito una boleta? (${i})` },
        { replica: 0, key: BREAKER_KEY },
      );
      expect(res).toMatchObject({ status: 200, servedBy: 0 });
      expect(res.json.llm_used).toBe('openai'); // fell back
    }
    expect(fakes[0].requests).toHaveLength(BREAKER_THRESHOLD);
    expect(await anthropicStatus(0)).toBe('circuit_open');
    expect(cluster.redis.cli('-n', '1', 'exists', 'llm:breaker:anthropic')).toBe('1');

    // The other replicas learn it from Redis (their poller), not by calling Anthropic.
    for (const r of [1, 2]) await waitFor(async () => (await anthropicStatus(r)) === 'circuit_open', 5_000, 100);
    expect(fakes[1].requests).toHaveLength(0);
    expect(fakes[2].requests).toHaveLength(0);

    const openaiBefore = openai.requests.length;
    for (const r of [1, 2]) {
      const res = await cluster.call(
        'POST',
        '/api/chat/message',
        { message: '¿Qué es el libro de compras?' },
        { replica: r, key: BREAKER_KEY },
      );
      expect(res).toMatchObject({ status: 200, servedBy: r });
      expect(res.json.llm_used).toBe('openai');
    }
    expect(fakes[1].requests).toHaveLength(0);
    expect(fakes[2].requests).toHaveLength(0);
    expect(openai.requests.length - openaiBefore).toBe(2);
    const health = (await cluster.direct(2, 'GET', '/health')).json;
    expect(health.status).toBe('healthy'); // OpenAI still answers
    expect(health.dependencies.openai.status).toBe('configured');
    // The breaker log line is written only by the replica that saw the failures.
    expect(
      cluster
        .replica(0)
        .logLines()
        .some((l) => l.event === 'llm_breaker_opened'),
    ).toBe(true);
    for (const r of [1, 2])
      expect(
        cluster
          .replica(r)
          .logLines()
          .some((l) => l.event === 'llm_breaker_opened'),
      ).toBe(false);
    fakes[0].fault(null);
  });
});
