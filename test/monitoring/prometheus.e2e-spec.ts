import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { FakeAnthropic } from '../fakes/fake-anthropic';
import { FakeOpenAI } from '../fakes/fake-openai';
import { realisticReply } from '../helpers/fault-stack';
import { waitFor } from '../helpers/ports';
import { describeWithPrometheus, PrometheusServer, promtool } from '../helpers/prometheus-server';
import { TestRedis } from '../helpers/redis-server';
import { ServiceProcess } from '../helpers/service-process';
import { call } from '../helpers/test-app';
import { odooCall } from '../validation/validation-helpers';
import {
  alertRules,
  dashboardQueries,
  expandGrafanaVariables,
  JOB,
  MONITORING_DIR,
  RULES_FILE,
  RULES_TEST_FILE,
  selectors,
} from './monitoring-files';

const KEY = 'monitoring-test-key-0123456789abcdef';

describeWithPrometheus('Alert rules with promtool', () => {
  it('promtool check rules accepts the rule file', () => {
    expect(promtool(['check', 'rules', RULES_FILE], MONITORING_DIR)).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('promtool test rules passes: every alert fires on one series and stays quiet on another', () => {
    expect(promtool(['test', 'rules', RULES_TEST_FILE], MONITORING_DIR)).toMatch(/SUCCESS/);
  });

  it('promtool test rules does fail when an expectation is wrong (negative control)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
    try {
      copyFileSync(RULES_FILE, join(dir, 'dte-ai-service.rules.yml'));
      const tests = load(readFileSync(RULES_TEST_FILE, 'utf8')) as any;
      tests.tests = tests.tests.slice(0, 1);
      tests.tests[0].alert_rule_test[0].exp_alerts = []; // claims a firing alert stays quiet
      writeFileSync(join(dir, 'broken.test.yml'), dump(tests));
      expect(() => promtool(['test', 'rules', 'broken.test.yml'], dir)).toThrow(/FAILED/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has a firing and a quiet case for every alert', () => {
    const tests = (load(readFileSync(RULES_TEST_FILE, 'utf8')) as any).tests as any[];
    for (const { alert } of alertRules()) {
      const cases = tests.flatMap((t) =>
        t.alert_rule_test.filter((a: any) => a.alertname === alert).map((a: any) => ({ t, a })),
      );
      const firing = cases.filter(({ a }) => a.exp_alerts.length > 0);
      expect([alert, firing.length > 0]).toEqual([alert, true]);
      // Quiet: a case of its own, or in the firing case a series whose labels no expected alert has.
      const quiet =
        cases.some(({ a }) => a.exp_alerts.length === 0) ||
        firing.some(({ t, a }) => {
          const expected = a.exp_alerts.map((e: any) => e.exp_labels);
          return t.input_series.some((s: any) =>
            expected.every((labels: Record<string, string>) =>
              Object.entries(labels).some(([k, v]) => k !== 'severity' && !s.series.includes(`${k}="${v}"`)),
            ),
          );
        });
      expect([alert, quiet]).toEqual([alert, true]);
    }
  });

  it('every alert has Spanish and English summary/description and a runbook entry in docs/operations.md', () => {
    const runbook = readFileSync(join(MONITORING_DIR, '..', 'operations.md'), 'utf8');
    for (const r of alertRules()) {
      expect(Object.keys(r.annotations).sort()).toEqual(
        ['description', 'description_en', 'runbook_url', 'summary', 'summary_en'].sort(),
      );
      expect(r.annotations.runbook_url).toBe(`docs/operations.md#${r.alert.toLowerCase()}`);
      expect(runbook).toContain(`#### ${r.alert}\n`);
      expect(['warning', 'critical']).toContain(r.labels.severity);
    }
  });
});

describeWithPrometheus('A real Prometheus scraping the service', () => {
  let redis: TestRedis;
  let anthropic: FakeAnthropic;
  let openai: FakeOpenAI;
  let svc: ServiceProcess;
  let prometheus: PrometheusServer;
  const api = (method: string, path: string, body?: unknown) => call(svc.url, KEY, method, path, body);
  const chats = { total: 0 };

  beforeAll(async () => {
    [redis, anthropic, openai] = await Promise.all([TestRedis.start(), FakeAnthropic.start(), FakeOpenAI.start()]);
    realisticReply(anthropic, 'Anthropic');
    realisticReply(openai, 'OpenAI');
    svc = await ServiceProcess.spawn({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      AI_SERVICE_API_KEY: KEY,
      REDIS_URL: redis.url(),
      ANTHROPIC_API_KEY: 'sk-ant-monitoring',
      ANTHROPIC_BASE_URL: anthropic.url,
      OPENAI_API_KEY: 'sk-monitoring',
      OPENAI_BASE_URL: openai.url,
      RATE_LIMIT_PER_MINUTE: '100000',
      LLM_MAX_RETRIES: '0',
      LLM_BREAKER_THRESHOLD: '5',
      LLM_BREAKER_HALF_OPEN_MS: '600000',
      VALIDATION_LLM_TIMEOUT_MS: '300',
      // A budget the first calls exceed, so the budget alerts have something to say.
      LLM_DAILY_BUDGET_USD: '0.001',
    });
    await svc.ready();
    prometheus = await PrometheusServer.start({
      job: JOB,
      targets: [`127.0.0.1:${svc.port}`],
      ruleFiles: [RULES_FILE],
    });
    await waitFor(async () => (await prometheus.query(`up{job="${JOB}"} == 1`)).data?.result.length === 1, 20_000);

    const chat = async (message: string, stream = false) => {
      const r = await api('POST', stream ? '/api/chat/message/stream' : '/api/chat/message', { message });
      expect(r.status).toBe(200);
      chats.total++;
    };
    // Chat turns answered by Anthropic, one of them streamed (time to first token).
    for (let i = 0; i < 3; i++) await chat(`¿Cómo emito una factura electrónica? (${i})`);
    await chat('¿Qué es una nota de crédito?', true);
    // Validations: accepted, rejected (wrong total), and four whose review outlives its budget.
    for (let i = 0; i < 3; i++) expect((await api('POST', '/api/ai/validate', odooCall())).status).toBe(200);
    expect((await api('POST', '/api/ai/validate', odooCall({ monto_total: 1 }))).json.recommendation).toBe('reject');
    // The first timeout creates the series; Prometheus must see it before increase() counts the rest.
    anthropic.fault({ delayMs: 2000, times: 6 });
    expect((await api('POST', '/api/ai/validate', odooCall())).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2500));
    for (let i = 0; i < 5; i++) expect((await api('POST', '/api/ai/validate', odooCall())).status).toBe(200);
    // Anthropic overloaded: chat falls back to OpenAI until the breaker opens (5 failures), then skips it.
    anthropic.fault({ status: 529 });
    await chat('¿Cómo anulo un DTE?');
    await new Promise((r) => setTimeout(r, 2500)); // the fallback counter's first sample, as above
    for (let i = 0; i < 6; i++) await chat(`¿Cómo anulo un DTE? (${i})`);
    await chat('¿Y una guía de despacho?', true);
    // Odoo's calls to endpoints this service does not have, and a few reads.
    for (const path of ['/api/ai/analytics/suggest_project', '/api/ai/reconcile', '/api/nothing'])
      expect((await api('POST', path, {})).status).toBe(404);
    expect((await api('GET', '/api/chat/knowledge/search?query=factura&top_k=3')).status).toBe(200);
    expect((await api('GET', '/metrics/costs?period=today')).status).toBe(200);

    // Prometheus has the traffic once a scrape shows every chat answer, and the rules ran on it.
    await waitFor(
      async () =>
        Number((await prometheus.query(`sum(chat_messages_total{job="${JOB}"})`)).data?.result[0]?.value[1]) ===
        chats.total,
      20_000,
      200,
    );
    await new Promise((r) => setTimeout(r, 3000));
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    await svc?.stop();
    await Promise.all([anthropic?.close(), openai?.close(), redis?.stop()]);
  });

  /** Whether every vector selector of `expr` matches at least one series. */
  async function touched(expr: string): Promise<boolean> {
    for (const selector of selectors(expr)) {
      const r = await prometheus.query(`count(${selector})`);
      if (!r.data?.result.length) return false;
    }
    return true;
  }

  it('evaluates every dashboard query; each whose metrics the traffic touched returns data', async () => {
    const report: Record<string, string[]> = { data: [], untouched: [] };
    const problems: string[] = [];
    for (const { name, expr } of dashboardQueries()) {
      const query = expandGrafanaVariables(expr);
      const r = await prometheus.query(query);
      if (r.status !== 'success') {
        problems.push(`${name}: ${r.errorType} ${r.error}`);
        continue;
      }
      if (!(await touched(query))) report.untouched.push(name);
      else if (r.data!.result.length) report.data.push(name);
      else problems.push(`${name}: metrics present but no data for ${query}`);
    }
    // eslint-disable-next-line no-console
    console.log(
      `dashboard queries with data (${report.data.length}):\n  ${report.data.join('\n  ')}\n` +
        `untouched by this traffic (${report.untouched.length}):\n  ${report.untouched.join('\n  ')}`,
    );
    expect(problems).toEqual([]);
    // The traffic reaches every row; only what it does not produce (5xx, SII reads) may stay empty.
    expect(report.untouched.filter((n) => !/SII|5xx/.test(n))).toEqual([]);
  }, 120_000);

  it('evaluates every rule expression, and the alerts the traffic provokes are pending or firing', async () => {
    const problems: string[] = [];
    const touchedRules: string[] = [];
    for (const rule of alertRules()) {
      const r = await prometheus.query(rule.expr);
      if (r.status !== 'success') problems.push(`${rule.alert}: ${r.errorType} ${r.error}`);
      else if (await touched(rule.expr)) touchedRules.push(rule.alert);
    }
    expect(problems).toEqual([]);
    const alerts = (await prometheus.api('alerts')).data.alerts as Array<{ labels: any; state: string }>;
    const active = alerts.map((a) => `${a.labels.alertname}${a.labels.provider ? `{${a.labels.provider}}` : ''}`);
    // eslint-disable-next-line no-console
    console.log(
      `rules whose every selector matched (${touchedRules.length}): ${touchedRules.join(', ')}\n` +
        `pending/firing: ${alerts.map((a) => `${a.labels.alertname}${a.labels.provider ? `{${a.labels.provider}}` : ''}=${a.state}`).join(', ')}`,
    );
    expect(active).toEqual(
      expect.arrayContaining([
        'DteAiLlmFallbackRatioHigh{anthropic}',
        'DteAiLlmBreakerOpen{anthropic}',
        'DteAiLlmSpendNearBudget',
        'DteAiLlmSpendOverBudget',
        'DteAiValidationReviewTimeouts',
      ]),
    );
    // A healthy, reachable service with Redis up: none of these may be active.
    for (const quiet of [
      'DteAiServiceDown',
      'DteAiServiceAbsent',
      'DteAiServiceNotReady',
      'DteAiRedisDown',
      'DteAiStoreUnavailableResponses',
      'DteAiHttp5xxRatioHigh',
      'DteAiLlmAllProvidersFailing',
    ])
      expect(active).not.toContain(quiet);
    // The rule engine itself reports no evaluation error.
    const groups = (await prometheus.api('rules')).data.groups as Array<{
      rules: Array<{ name: string; health: string; lastError?: string }>;
    }>;
    const unhealthy = groups.flatMap((g) => g.rules).filter((r) => r.health !== 'ok');
    expect(unhealthy.map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
    expect(groups.flatMap((g) => g.rules)).toHaveLength(alertRules().length);
  }, 120_000);

  it('a syntax error is reported as such by the same API (negative control)', async () => {
    const r = await prometheus.query('sum(rate(chat_messages_total[1m])');
    expect(r.status).toBe('error');
    expect(r.errorType).toBe('bad_data');
  });
});
