import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { FakeAnthropic } from '../fakes/fake-anthropic';
import { realisticReply } from '../helpers/fault-stack';
import { freePort } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { ServiceProcess } from '../helpers/service-process';
import { odooCalls } from './odoo-calls';

/**
 * The OpenAPI document as integrators use it: Redocly's `recommended` rules on /docs-json, then a
 * TypeScript client generated from it (openapi-typescript + openapi-fetch) that must compile
 * strictly and make Odoo's calls against the running service.
 */
const REPO = join(__dirname, '..', '..');
const KEY = 'openapi-test-key-0123456789abcdef';
const LINT = join(__dirname, 'redocly-lint.mjs');
/** The generator's own CLI, as an integrator runs it (`npx openapi-typescript docs.json -o api.d.ts`). */
const OPENAPI_TS_CLI = join(REPO, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');

interface Problem {
  severity: 'error' | 'warn';
  ruleId: string;
  pointer: string;
  message: string;
}

function lint(doc: object, dir: string, name: string): Problem[] {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc));
  return JSON.parse(execFileSync(process.execPath, [LINT, file], { cwd: REPO, encoding: 'utf8' }));
}

/** Strict type check of `files` with `@generated/dte-ai-service` mapped to the generated types. */
function typeErrors(files: string[], generated: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    types: [],
    baseUrl: REPO,
    // Files written to the temporary folder resolve the client library from this repository.
    paths: { '@generated/dte-ai-service': [generated], 'openapi-fetch': [join(REPO, 'node_modules', 'openapi-fetch')] },
  };
  const program = ts.createProgram([...files, generated], options);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('OpenAPI document: lint and generated client', () => {
  let redis: TestRedis;
  let anthropic: FakeAnthropic;
  let svc: ServiceProcess;
  let doc: any;
  let dir: string;
  let serverUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    [redis, anthropic] = await Promise.all([TestRedis.start(), FakeAnthropic.start()]);
    realisticReply(anthropic, 'Anthropic');
    const port = await freePort();
    serverUrl = `http://127.0.0.1:${port}`;
    svc = await ServiceProcess.spawn({
      PORT: String(port),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      AI_SERVICE_API_KEY: KEY,
      REDIS_URL: redis.url(),
      ANTHROPIC_API_KEY: 'sk-ant-openapi-test',
      ANTHROPIC_BASE_URL: anthropic.url,
      RATE_LIMIT_PER_MINUTE: '10000',
      OPENAPI_SERVER_URL: `${serverUrl}/`,
    });
    await svc.ready();
    doc = await (await fetch(`${svc.url}/docs-json`)).json();
  }, 60_000);

  afterAll(async () => {
    await svc?.stop();
    await Promise.all([anthropic?.close(), redis?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("passes Redocly's recommended ruleset with no problem at all", () => {
    expect(lint(doc, dir, 'docs.json')).toEqual([]);
  }, 30_000);

  it('the linter does report what this document used to have (negative control)', () => {
    const broken = JSON.parse(JSON.stringify(doc));
    broken.servers = [];
    broken.components.schemas.DteDataDto.properties.tipo_dte = { type: 'object', example: '33' };
    broken.paths['/api/chat/message'].post.requestBody.content['application/json'].examples.odoo.value.message = 42;
    for (const status of ['400', '401', '404', '413', '415', '422', '429'])
      delete broken.paths['/api/chat/message'].post.responses[status];
    const rules = lint(broken, dir, 'broken.json').map((p) => `${p.severity} ${p.ruleId}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'error no-empty-servers',
        'warn no-invalid-schema-examples',
        'warn no-invalid-media-type-examples',
        'warn operation-4xx-response',
      ]),
    );
  }, 30_000);

  it('fills servers from OPENAPI_SERVER_URL, then this same origin', () => {
    expect(doc.servers.map((s: { url: string }) => s.url)).toEqual([serverUrl, '/']);
  });

  it('declares the union fields Odoo sends as oneOf, amounts as numbers, dte_data as an open object', () => {
    const dte = doc.components.schemas.DteDataDto;
    expect(dte.properties.tipo_dte.oneOf).toEqual([{ type: 'string' }, { type: 'integer' }]);
    expect(dte.properties.folio.oneOf).toEqual([{ type: 'integer' }, { type: 'string' }]);
    for (const amount of ['monto_neto', 'monto_iva', 'monto_exento', 'monto_total'])
      expect(dte.properties[amount].type).toBe('number');
    expect(dte.additionalProperties).toBe(true);
    const body = doc.paths['/api/ai/validate'].post.requestBody.content['application/json'].schema;
    expect(body.anyOf.map((s: { $ref: string }) => s.$ref)).toEqual([
      '#/components/schemas/ValidateRequestDto',
      '#/components/schemas/BareDteBodyDto',
    ]);
  });

  it('documents a 4xx on every operation and every error answer with the common error schema', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, any>).map(([method, op]) => ({ name: `${method} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(17);
    for (const { name, op } of operations) {
      const statuses = Object.keys(op.responses);
      expect([name, statuses.some((s) => s.startsWith('4'))]).toEqual([name, true]);
      for (const status of statuses.filter((s) => /^[45]/.test(s))) {
        const schema = op.responses[status].content?.['application/json']?.schema;
        // The probes' 503 is their own status body (the same shape as their 200), not an error.
        if (status === '503' && /^get \/(health|live|ready)/.test(name)) continue;
        expect([name, status, schema?.$ref]).toEqual([name, status, '#/components/schemas/ErrorResponseDto']);
      }
    }
    // DTE validation never answers 429 or 5xx: Odoo would read it as "valid".
    expect(Object.keys(doc.paths['/api/ai/validate'].post.responses).sort()).toEqual(
      ['200', '400', '401', '413', '415'].sort(),
    );
  });

  describe('a TypeScript client generated with openapi-typescript', () => {
    let generated: string;

    beforeAll(() => {
      const source = join(dir, 'docs-json.json');
      writeFileSync(source, JSON.stringify(doc));
      generated = join(dir, 'dte-ai-service.d.ts');
      execFileSync(process.execPath, [OPENAPI_TS_CLI, source, '--output', generated], { cwd: REPO, stdio: 'pipe' });
    }, 60_000);

    it("compiles strictly with Odoo's calls written against it", () => {
      expect(typeErrors([join(__dirname, 'odoo-calls.ts')], generated)).toEqual([]);
    }, 60_000);

    it('refuses what the service would refuse: wrong types, missing fields, unknown paths (negative control)', () => {
      const wrong = join(dir, 'wrong-calls.ts');
      writeFileSync(
        wrong,
        [
          "import createClient from 'openapi-fetch';",
          "import type { paths } from '@generated/dte-ai-service';",
          'const c = createClient<paths>({});',
          "void c.POST('/api/ai/validate', { body: { dte_data: { tipo_dte: true, folio: 1 }, company_id: 1 } });",
          "void c.POST('/api/chat/message', { body: { session_id: 'x' } });",
          "void c.GET('/api/ai/nothing', {});",
        ].join('\n'),
      );
      const errors = typeErrors([wrong], generated).join('\n');
      expect(errors).toMatch(/tipo_dte|boolean/);
      expect(errors).toMatch(/message/);
      expect(errors).toMatch(/nothing/);
    }, 60_000);

    it("makes Odoo's calls against the running service at the document's server URL", async () => {
      const r = await odooCalls(doc.servers[0].url, KEY);
      const statuses = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.status]));
      expect(statuses).toEqual({
        health: 200,
        session_new: 200,
        message: 200,
        history: 200,
        knowledge_search: 200,
        delete: 200,
        history_after_delete: 404,
        universal: 200,
        validate: 200,
        validate_reception: 200,
        validate_bare: 200,
        costs: 200,
      });
      expect(r.health.data).toMatchObject({ status: 'healthy' });
      expect(r.message.data).toMatchObject({ llm_used: 'anthropic' });
      expect((r.history.data as { messages: unknown[] }).messages).toHaveLength(2);
      expect((r.knowledge_search.data as { results: unknown[] }).results.length).toBeGreaterThan(0);
      expect(r.history_after_delete.error).toMatchObject({ statusCode: 404, code: 'SESSION_NOT_FOUND' });
      expect(r.universal.data).toMatchObject({ llm_used: 'anthropic' });
      expect(r.validate.data).toMatchObject({ recommendation: 'send', errors: [] });
      expect(r.validate_reception.data).toMatchObject({ recommendation: 'reject' });
      expect(r.validate_bare.data).toMatchObject({ recommendation: 'send' });
      expect((r.costs.data as { total_calls: number }).total_calls).toBeGreaterThan(0);
    }, 60_000);
  });
});
