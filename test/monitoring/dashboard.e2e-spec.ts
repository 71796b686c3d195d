import { readFileSync } from 'node:fs';
import { dashboardPanels, dashboardQueries, DASHBOARD_FILE, loadDashboard } from './monitoring-files';

/** What Grafana's "Import dashboard" needs; the queries themselves run in prometheus.e2e-spec.ts. */
describe('Grafana dashboard JSON', () => {
  const dashboard = loadDashboard();
  const panels = dashboardPanels(dashboard);

  it('is importable: a schemaVersion, a title, the data source as a variable', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.title).toBe('DTE AI Service');
    expect(dashboard.id ?? null).toBeNull();
    const ds = dashboard.templating.list.find((v: any) => v.type === 'datasource');
    expect(ds).toMatchObject({ name: 'datasource', query: 'prometheus' });
  });

  it('never hard-codes a data source UID: every panel and query uses ${datasource}', () => {
    for (const p of panels.filter((p) => p.type !== 'row')) {
      expect([p.title, p.datasource]).toEqual([p.title, { type: 'prometheus', uid: '${datasource}' }]);
      for (const t of p.targets) expect(t.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
    const uids = [...readFileSync(DASHBOARD_FILE, 'utf8').matchAll(/"uid":\s*"([^"]*)"/g)].map((m) => m[1]);
    // The dashboard's own uid, Grafana's built-in annotations source, and the variable.
    expect([...new Set(uids)].sort()).toEqual(['${datasource}', '-- Grafana --', 'dte-ai-service'].sort());
  });

  it('has unique panel ids, a layout inside 24 columns, and a query with a legend in every panel', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    for (const p of panels.filter((p) => p.type !== 'row')) {
      expect([p.title, p.targets.length > 0]).toEqual([p.title, true]);
      for (const t of p.targets) expect(t.legendFormat).toBeTruthy();
    }
  });

  it('covers what the issue lists, each query scoped to the job', () => {
    const exprs = dashboardQueries(dashboard).map((q) => q.expr);
    for (const metric of [
      'http_request_duration_seconds_count',
      'chat_response_duration_seconds_bucket',
      'llm_time_to_first_token_seconds_bucket',
      'llm_requests_total',
      'llm_fallbacks_total',
      'llm_breaker_state',
      'llm_spend_usd',
      'llm_spend_by_model_usd',
      'llm_spend_tokens',
      'dte_validations_total',
      'dte_validation_cache_hits_total',
      'store_up',
      'knowledge_base_documents',
      'sii_news_items_total',
      'process_resident_memory_bytes',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_p99_seconds',
    ])
      expect([metric, exprs.some((e) => e.includes(`${metric}{`))]).toEqual([metric, true]);
    for (const e of exprs) for (const m of e.matchAll(/[a-z_:]+\{([^}]*)\}/g)) expect(m[1]).toContain('job="$job"');
  });
});
