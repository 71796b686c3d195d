/**
 * Captures one real transcript per Odoo client against the COMPILED service (`node dist/main.js`,
 * production mode, a real redis-server, no LLM key: offline answers) and writes them as Markdown.
 *
 *   npm run build && npx ts-node --transpile-only test/odoo/capture-transcripts.ts /work/notes/odoo-transcripts.md
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { ServiceProcess } from '../helpers/service-process';
import { AiChatIntegration } from './chat-integration.client';
import { AIApiClient, DteAiClient } from './dte-clients';
import { odooFor } from './odoo-env';
import type { Exchange } from './odoo-http';
import { INVOICE_USER_CONTEXT, odooDteData, QUESTION_DTE33, QUESTION_RECORD, RUT_EMISOR_BAD_DV } from './odoo-payloads';
import { accountMoveRecord, INVOICE } from './odoo-records';
import { f } from './python-wire';
import { FakeAnthropic } from '../fakes/fake-anthropic';
import { promptText } from './odoo-harness';
import { exchangeMarkdown, prettyJson, trim } from './transcript-format';
import { AiChatUniversalWizard } from './universal-wizard.client';

interface Step {
  title: string;
  exchanges: Exchange[];
  /** What the addon's code returns / shows after reading the answer. */
  reads: unknown;
}

async function main(out: string) {
  const redis = await TestRedis.start();
  const key = randomBytes(24).toString('hex');
  const svc = await ServiceProcess.spawn({
    AI_SERVICE_API_KEY: key,
    REDIS_URL: redis.url(),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
  });
  const sections: Record<string, Step[]> = {};
  try {
    await svc.ready();
    await waitFor(async () => (await fetch(`${svc.url}/health/ready`)).ok, 20_000);
    // The service URL as Odoo would have it configured (docker compose service name), shown in transcripts.
    let current: Exchange[] = [];
    const env = odooFor(svc.url, key, { record: (e) => current.push(e) });
    const step = async (client: string, title: string, run: () => Promise<unknown>) => {
      current = [];
      let reads: unknown;
      try {
        reads = await run();
      } catch (e) {
        reads = { UserError: (e as Error).message };
      }
      (sections[client] ??= []).push({ title, exchanges: current, reads });
    };

    const chat = new AiChatIntegration(env);
    let sessionId = '';
    await step('ai.chat.integration', 'Probar Conexión (check_ai_service_health)', () => chat.checkAiServiceHealth());
    await step('ai.chat.integration', 'create_chat_session', async () => {
      const r = await chat.createChatSession(INVOICE_USER_CONTEXT);
      sessionId = r.session_id!;
      return r;
    });
    await step('ai.chat.integration', 'send_chat_message', () =>
      chat.sendChatMessage(sessionId, QUESTION_DTE33, INVOICE_USER_CONTEXT),
    );
    await step('ai.chat.integration', 'get_conversation_history', () => chat.getConversationHistory(sessionId));
    await step('ai.chat.integration', 'search_knowledge_base (top_k=3)', () =>
      chat.searchKnowledgeBase('¿Cómo anulo una factura electrónica?', 3),
    );
    await step('ai.chat.integration', 'clear_chat_session', () => chat.clearChatSession(sessionId));

    const dte = new DteAiClient(env);
    await step('dte.ai.client', 'validate_dte_with_ai — factura 33 correcta', () =>
      dte.validateDteWithAi(odooDteData()),
    );
    await step('dte.ai.client', 'validate_dte_with_ai — RUT emisor con dígito verificador erróneo', () =>
      dte.validateDteWithAi(odooDteData({ rut_emisor: RUT_EMISOR_BAD_DV })),
    );

    const legacy = new AIApiClient(env);
    await step('AIApiClient', 'validate_dte — DTE sin sobre (cuerpo = el DTE), IVA mal calculado', () =>
      legacy.validateDte(odooDteData({ monto_iva: f(18000), monto_total: f(118000) })),
    );

    const wizard = new AiChatUniversalWizard(
      env,
      { model: 'account.move', id: 512, displayName: INVOICE.name, data: accountMoveRecord(160) },
      true,
    );
    await step(
      'ai.chat.universal.wizard',
      'action_send_message desde una factura abierta (160 campos, stream: true)',
      () => wizard.actionSendMessage(QUESTION_RECORD),
    );
    await step('ai.chat.universal.wizard', 'segundo mensaje en la misma sesión del asistente', () =>
      wizard.actionSendMessage('¿Cuál es su fecha de vencimiento?'),
    );

    const health = JSON.parse(sections['ai.chat.integration'][0].exchanges[0].responseText);
    writeFileSync(out, render(sections, health) + (await modelView()));
    process.stdout.write(`wrote ${out}\n`);
  } finally {
    await svc.stop();
    await redis.stop();
  }
}

function render(sections: Record<string, Step[]>, health: any): string {
  const lines = [
    "# Transcripts: the l10n_cl_dte addon's four HTTP clients against the DTE AI Service",
    '',
    `Captured ${new Date().toISOString()} from a real run of the compiled service (\`npm run build\`, then`,
    '`node dist/main.js` with `NODE_ENV=production`, a real `redis-server`, no LLM key, so answers are the',
    `offline ones from the knowledge base). Service ${health.service} ${health.version}, /health status \`${health.status}\`.`,
    'Requests are byte-for-byte what Python `requests` sends for the addon (`json.dumps`: floats as 119000.0,',
    'non-ASCII as \\u escapes; shown here pretty-printed). The API key is masked; long fields are trimmed and say so.',
    'Regenerate: `npm run build && npx ts-node --transpile-only test/odoo/capture-transcripts.ts /work/notes/odoo-transcripts.md`.',
    '',
    '| client | call | HTTP status |',
    '|---|---|---|',
    ...Object.entries(sections).flatMap(([client, steps]) =>
      steps.flatMap((s) =>
        s.exchanges.map(
          (e) =>
            `| \`${client}\` | ${e.method} ${e.url.replace(/^https?:\/\/[^/]+/, '').split('?')[0]} | ${e.status}${e.status === 200 ? '' : ' ⚠️ not what the addon expects'} |`,
        ),
      ),
    ),
    '',
  ];
  for (const [client, steps] of Object.entries(sections)) {
    lines.push(`## \`${client}\``, '');
    for (const s of steps) {
      lines.push(`### ${s.title}`, '');
      for (const e of s.exchanges) lines.push(exchangeMarkdown(e), '');
      lines.push(
        'What the addon returns / shows after reading it:',
        '',
        '```json',
        prettyJson(trim(s.reads)),
        '```',
        '',
      );
    }
  }
  return lines.join('\n');
}

/**
 * Appendix: the wizard's invoice question once more, with the service pointed at the fake Anthropic
 * server, to show what the model receives (the bounded record summary), not a real model's answer.
 */
async function modelView(): Promise<string> {
  const redis = await TestRedis.start();
  const fake = await FakeAnthropic.start();
  const key = randomBytes(24).toString('hex');
  const svc = await ServiceProcess.spawn({
    AI_SERVICE_API_KEY: key,
    REDIS_URL: redis.url(),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    ANTHROPIC_API_KEY: 'sk-ant-fake',
    ANTHROPIC_BASE_URL: fake.url,
  });
  try {
    await svc.ready();
    await waitFor(async () => (await fetch(`${svc.url}/health/ready`)).ok, 20_000);
    const exchanges: Exchange[] = [];
    const wizard = new AiChatUniversalWizard(
      odooFor(svc.url, key, { record: (e) => exchanges.push(e) }),
      { model: 'account.move', id: 512, displayName: INVOICE.name, data: accountMoveRecord(160) },
      false,
    );
    await wizard.actionSendMessage(QUESTION_RECORD);
    const post = exchanges.find((e) => e.method === 'POST')!;
    const body = fake.lastRequest!.body;
    const volatile = Array.isArray(body.system) ? body.system[body.system.length - 1].text : '';
    return [
      "## Appendix: what the model receives for the wizard's invoice question",
      '',
      'Same wizard call, with the compiled service pointed at the fake Anthropic server (its reply is canned, so only',
      `the request matters here). The wizard posted ${post.requestBody!.length} bytes (160 fields of \`active_record_data\`);`,
      `the whole request to the model was ${JSON.stringify(body).length} bytes, ${promptText(body).length} characters of prompt text`,
      '(system prompt, knowledge passages, then this per-request block after the cache breakpoint):',
      '',
      '```text',
      volatile,
      '```',
      '',
    ].join('\n');
  } finally {
    await svc.stop();
    await fake.close();
    await redis.stop();
  }
}

main(process.argv[2] ?? '/work/notes/odoo-transcripts.md').catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
