/**
 * Child process: the zero-latency fake Anthropic from test/fakes, in its own process so the load
 * generator and the fake do not share one event loop. The same fake serves our service and Portkey.
 * IPC: sends {type:'ready', url}; answers {type:'stats'} with request counts per kind and the last
 * chat request bodies (to build Portkey equivalent requests).
 */
import { FakeAnthropic, RecordedRequest } from '../../test/fakes/fake-anthropic';
import { CHAT_REPLY, REVIEW_REPLY } from './payloads';

type Kind = 'chat' | 'validation' | 'other';

function systemText(body: any): string {
  const s = body?.system;
  if (typeof s === 'string') return s;
  return Array.isArray(s) ? s.map((b: { text?: string }) => b.text ?? '').join('\n') : '';
}

const kindOf = (req: RecordedRequest): Kind => {
  if (req.path !== '/v1/messages') return 'other';
  return systemText(req.body).includes('revisor experto de Documentos Tributarios') ? 'validation' : 'chat';
};

async function main() {
  const fake = await FakeAnthropic.start();
  const counts: Record<Kind, number> = { chat: 0, validation: 0, other: 0 };
  // The last chat requests, so Portkey can be given the same variety of bodies our turns sent.
  const chatBodies: unknown[] = [];
  const KEEP = 64;
  // The DTE review must get the strict JSON it asks for; everything else a realistic answer.
  fake.reply((req) => (kindOf(req) === 'validation' ? REVIEW_REPLY : CHAT_REPLY));
  const firstByteMs = Number(process.env.FAKE_FIRST_BYTE_MS ?? 0);
  if (firstByteMs > 0) fake.latency({ firstByteMs });

  // The fake records every request; drain the list so a long run does not grow the heap.
  const drain = () => {
    for (const r of fake.requests) {
      const k = kindOf(r);
      counts[k] += 1;
      if (k === 'chat') {
        chatBodies.push(r.body);
        if (chatBodies.length > KEEP) chatBodies.shift();
      }
    }
    fake.requests.length = 0;
  };
  setInterval(drain, 200).unref();

  process.on('message', (m: { type?: string }) => {
    if (m?.type !== 'stats') return;
    drain();
    process.send!({
      type: 'stats',
      counts: { ...counts },
      lastChatBody: chatBodies[chatBodies.length - 1] ?? null,
      chatBodies,
    });
  });
  process.on('disconnect', () => void fake.close().finally(() => process.exit(0)));
  process.send!({ type: 'ready', url: fake.url });
}

main().catch((e) => {
  process.stderr.write(`fake LLM failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
