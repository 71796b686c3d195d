import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { Counter } from 'prom-client';
import { CLOCK, Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { logEvent } from '../common/log-event';
import { AppConfig } from '../config/app-config';
import { LlmService } from '../llm/llm.service';
import { analysisPrompt, parseAnalysis, SII_ANALYSIS_SYSTEM } from './news-analysis';
import type { ParsedNewsItem } from './parsing/news-item';
import { SII_FETCHER, SiiFetcher } from './sii-fetcher.port';
import { SII_NEWS_TOTAL, SII_PAGE_FETCHES_TOTAL } from './sii.metrics';
import { fingerprintOf, idOf, SiiNewsRepository } from './sii-news.repository';
import { AnalysisSource, PageReport, RunLlmUsed, SiiNewsRecord, SiiRunResult } from './sii.types';
import { assertAllowedSiiUrls } from './sii-url-policy';

/** New items analysed per run; the rest wait (unclaimed) for the next run, newest pages first. */
const MAX_ANALYSED_PER_RUN = 15;
const LLM_CONCURRENCY = 5;

const NOTES: Record<Exclude<AnalysisSource, 'llm'>, string> = {
  offline: 'No hay un modelo de IA disponible; la publicación se registró sin análisis.',
  llm_error: 'El modelo de IA no respondió; la publicación se registró sin análisis.',
  llm_malformed: 'La respuesta del modelo de IA no tuvo el formato esperado; la publicación se registró sin análisis.',
};

interface FetchedListing {
  report: PageReport;
  items: ParsedNewsItem[];
}

/**
 * One monitoring run: read every page (a failed page is reported, never fatal), claim the items
 * not seen before (SET NX with a short lease, so concurrent runs and replicas never analyse one
 * twice), ask the LLM what each changes and for whom, and save each analysis together with its
 * "seen" mark. An item whose analysis the shutdown interrupted is given back at once; one whose
 * run crashed comes back when its lease lapses (sii-news.repository.ts).
 */
@Injectable()
export class SiiService {
  private readonly logger = new Logger('SiiMonitor');

  constructor(
    private readonly config: AppConfig,
    @Inject(SII_FETCHER) private readonly fetcher: SiiFetcher,
    private readonly news: SiiNewsRepository,
    private readonly llm: LlmService,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectMetric(SII_NEWS_TOTAL) private readonly newsCounter: Counter<string>,
    @InjectMetric(SII_PAGE_FETCHES_TOTAL) private readonly fetchCounter: Counter<string>,
  ) {}

  async monitor(urls: string[] | undefined, trigger: SiiRunResult['trigger'] = 'api'): Promise<SiiRunResult> {
    const started = performance.now();
    const runAt = this.clock.now().toISOString();
    if (urls?.length) assertAllowedSiiUrls(urls, this.config.sii.urls);
    const targets = [...new Set(urls?.length ? urls : this.config.sii.urls)];
    logEvent(this.logger, 'sii_monitor_started', { trigger, pages: targets.length });

    const listings = await Promise.all(targets.map((url) => this.read(url)));
    const run = randomUUID();
    const fresh: { item: ParsedNewsItem; fingerprint: string; page: PageReport }[] = [];
    let deferred = 0;
    for (const { report, items } of listings) {
      for (const item of items) {
        const fingerprint = fingerprintOf(item);
        if (fresh.length >= MAX_ANALYSED_PER_RUN) {
          if (!(await this.news.isSeen(fingerprint))) deferred++;
        } else if (await this.news.claim(fingerprint, run)) {
          fresh.push({ item, fingerprint, page: report });
        }
      }
    }

    const limit = pLimit(LLM_CONCURRENCY);
    const analysed = await Promise.all(
      fresh.map(({ item, fingerprint }) => limit(() => this.analyse(item, fingerprint, runAt))),
    );
    const records: SiiNewsRecord[] = [];
    for (const [i, record] of analysed.entries()) {
      const { fingerprint, page } = fresh[i];
      if (!record) {
        await this.news.release(fingerprint, run);
        deferred++;
        continue;
      }
      await this.news.save(record, fingerprint);
      records.push(record);
      page.new_items++;
      this.newsCounter.inc({ urgency: record.urgency });
    }

    const result: SiiRunResult = {
      run_at: runAt,
      trigger,
      pages: listings.map((l) => l.report),
      new_items: records,
      deferred_items: deferred,
      llm_used: runLlmUsed(records),
      cost_usd: Math.round(records.reduce((s, r) => s + r.cost_usd, 0) * 1e8) / 1e8,
      duration_ms: Math.round(performance.now() - started),
    };
    const { new_items, ...summary } = result;
    await this.news.saveRun({ ...summary, new_item_ids: new_items.map((r) => r.id) });
    logEvent(this.logger, 'sii_monitor_completed', {
      trigger,
      pages: result.pages.length,
      pages_failed: result.pages.filter((p) => !p.ok).length,
      new_items: records.length,
      deferred_items: deferred,
      llm_used: result.llm_used,
      duration_ms: result.duration_ms,
    });
    return result;
  }

  async status(limit: number) {
    const [lastRun, latest] = await Promise.all([this.news.lastRun(), this.news.latest(limit)]);
    const by_urgency: Record<string, number> = { high: 0, medium: 0, low: 0, unknown: 0 };
    for (const item of latest.items) by_urgency[item.urgency] = (by_urgency[item.urgency] ?? 0) + 1;
    return { last_run: lastRun, items_total: latest.total, by_urgency, items: latest.items };
  }

  private async read(url: string): Promise<FetchedListing> {
    try {
      const page = await this.fetcher.fetchPage(url);
      // The HTML parser (cheerio and its dependencies) is loaded on the first monitor run, not at
      // start-up: most replicas never run one (docs/performance.md, "Start-up").
      const { extractNews } = await import('./parsing/news-parser');
      const items = extractNews(page.html, page.url);
      this.fetchCounter.inc({ outcome: 'ok' });
      return { report: { url, ok: true, items_found: items.length, new_items: 0 }, items };
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.fetchCounter.inc({ outcome: 'error' });
      logEvent(this.logger, 'sii_page_fetch_failed', { url, error }, 'warn');
      return { report: { url, ok: false, items_found: 0, new_items: 0, error }, items: [] };
    }
  }

  /** The item's record, or null when the service is stopping and the analysis was cut short. */
  private async analyse(item: ParsedNewsItem, fingerprint: string, detectedAt: string): Promise<SiiNewsRecord | null> {
    const base = {
      id: idOf(fingerprint),
      title: item.title,
      link: item.link,
      date: item.date,
      source_url: item.source_url,
      excerpt: item.excerpt,
      detected_at: detectedAt,
    };
    const plain = (analysis: Exclude<AnalysisSource, 'llm'>, cost_usd = 0): SiiNewsRecord => ({
      ...base,
      summary: item.title,
      affected: [],
      urgency: 'unknown',
      action: 'Revise la publicación en el sitio del SII.',
      analysis,
      note: NOTES[analysis],
      llm_used: 'offline',
      cost_usd,
    });
    try {
      const result = await this.llm.complete({
        operation: 'sii_monitoring',
        system: SII_ANALYSIS_SYSTEM,
        messages: [{ role: 'user', content: analysisPrompt(item) }],
        json: true,
        temperature: 0.2,
        maxTokens: 600,
      });
      if (result.provider === 'offline') return plain('offline', result.cost_usd);
      const analysis = parseAnalysis(result.text);
      if (!analysis) {
        logEvent(
          this.logger,
          'sii_analysis_malformed',
          { id: base.id, provider: result.provider, length: result.text.length },
          'warn',
        );
        return plain('llm_malformed', result.cost_usd);
      }
      return { ...base, ...analysis, analysis: 'llm', llm_used: result.provider, cost_usd: result.cost_usd };
    } catch (e) {
      if (e instanceof DomainError && e.code === ErrorCode.SHUTTING_DOWN) {
        logEvent(this.logger, 'sii_analysis_interrupted', { id: base.id, reason: 'shutdown' }, 'warn');
        return null;
      }
      logEvent(
        this.logger,
        'sii_analysis_failed',
        { id: base.id, error: e instanceof Error ? e.message : String(e) },
        'warn',
      );
      return plain('llm_error');
    }
  }
}

/** The provider that analysed the run's items; `offline` when none could; `none` when nothing was new. */
function runLlmUsed(records: SiiNewsRecord[]): RunLlmUsed {
  if (!records.length) return 'none';
  return records.find((r) => r.analysis === 'llm')?.llm_used ?? 'offline';
}
