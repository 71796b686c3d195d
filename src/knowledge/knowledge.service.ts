import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/domain-error';
import { logEvent } from '../common/log-event';
import { AppConfig } from '../config/app-config';
import {
  KnowledgeDocument,
  KnowledgeHit,
  KnowledgeReloadResult,
  KnowledgeSearchOptions,
  KnowledgeStats,
} from './knowledge.types';
import { loadKnowledgeBase } from './loading/knowledge-loader';
import { KnowledgeIndex } from './search/knowledge-index';

/** The project root (two levels above both `src/knowledge` and `dist/knowledge`). */
const PROJECT_ROOT = resolve(__dirname, '..', '..');

/**
 * A relative KNOWLEDGE_BASE_DIR is read from the working directory, falling back to the project
 * root so `node /app/dist/main.js` started from elsewhere still finds the bundled base.
 */
export function resolveKnowledgeDir(configured: string): string {
  if (isAbsolute(configured)) return configured;
  const fromCwd = resolve(process.cwd(), configured);
  const fromRoot = resolve(PROJECT_ROOT, configured);
  return existsSync(fromCwd) || !existsSync(fromRoot) ? fromCwd : fromRoot;
}

/** Reasons the loader states itself, safe to show; any other is a filesystem error text. */
const FIXED_REASONS = new Set([
  'folder does not exist',
  'not a directory',
  'no valid document',
  'folder has no Markdown documents',
]);

/**
 * The knowledge base: loaded and indexed at start-up, searched by chat, validation and the
 * search endpoint, reloaded on SIGHUP or POST /api/chat/knowledge/reload. A reload builds a new
 * index beside the live one and swaps the reference in one assignment, so concurrent searches
 * see either the old snapshot or the new one, never a partial one.
 */
@Injectable()
export class KnowledgeService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('KnowledgeService');
  private readonly dir: string;
  private index: KnowledgeIndex | null = null;
  private inFlight: Promise<KnowledgeReloadResult> | null = null;
  private readonly onSighup = () => {
    logEvent(this.logger, 'knowledge_base_reload_requested', { trigger: 'SIGHUP' });
    this.reload().catch(() => undefined);
  };

  constructor(config: AppConfig) {
    this.dir = resolveKnowledgeDir(config.knowledgeBaseDir);
  }

  async onModuleInit(): Promise<void> {
    process.on('SIGHUP', this.onSighup);
    await this.reload().catch(() => undefined);
  }

  onModuleDestroy(): void {
    process.off('SIGHUP', this.onSighup);
  }

  isLoaded(): boolean {
    return this.index !== null && this.index.size > 0;
  }

  stats(): KnowledgeStats {
    return (
      this.index?.stats() ?? {
        documents_count: 0,
        total_tags: 0,
        not_reviewed_last_12_months: 0,
        stale_documents: [],
      }
    );
  }

  /** Empty while nothing is loaded (callers degrade to answering without sources). */
  search(query: string, options: KnowledgeSearchOptions = {}): KnowledgeHit[] {
    const index = this.index;
    if (!index || !query?.trim()) return [];
    const started = performance.now();
    const hits = index.search(query, options);
    logEvent(
      this.logger,
      'knowledge_base_searched',
      {
        query_length: query.length,
        module: options.module ?? null,
        docs_found: hits.length,
        duration_ms: +(performance.now() - started).toFixed(2),
      },
      'debug',
    );
    return hits;
  }

  getById(id: string): KnowledgeDocument | undefined {
    return this.index?.get(id);
  }

  documents(): KnowledgeDocument[] {
    return this.index?.documents() ?? [];
  }

  get directory(): string {
    return this.dir;
  }

  /**
   * Re-reads the folder. Concurrent calls share one run. When the folder yields no valid
   * document the live index is kept (a bad deploy must not empty a working assistant) and a
   * KNOWLEDGE_NOT_LOADED error is raised; at start-up that leaves the service not ready.
   */
  reload(): Promise<KnowledgeReloadResult> {
    this.inFlight ??= this.doReload().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async doReload(): Promise<KnowledgeReloadResult> {
    const started = performance.now();
    const { documents, skipped, folderError } = await loadKnowledgeBase(this.dir);
    for (const s of skipped) logEvent(this.logger, 'knowledge_document_skipped', { ...s }, 'warn');
    const duration_ms = +(performance.now() - started).toFixed(1);

    if (!documents.length) {
      const reason = folderError ?? (skipped.length ? 'no valid document' : 'folder has no Markdown documents');
      logEvent(
        this.logger,
        'knowledge_base_not_loaded',
        { dir: this.dir, reason, skipped: skipped.length, kept_previous: this.isLoaded() },
        'error',
      );
      // The log has the filesystem's own text; the caller gets one of the loader's fixed reasons only
      // (an errno message carries absolute paths of the server).
      const shown = FIXED_REASONS.has(reason) ? reason : 'folder cannot be read';
      throw new DomainError(
        ErrorCode.KNOWLEDGE_NOT_LOADED,
        `No se pudo cargar la base de conocimiento (${shown}); ${this.isLoaded() ? 'se mantiene la versión anterior' : 'la búsqueda no está disponible'}.`,
      );
    }
    const next = new KnowledgeIndex(documents);
    this.index = next;
    const result: KnowledgeReloadResult = {
      loaded: true,
      ...next.stats(),
      skipped,
      duration_ms: +(performance.now() - started).toFixed(1),
    };
    logEvent(this.logger, 'knowledge_base_loaded', {
      dir: this.dir,
      documents_count: result.documents_count,
      total_tags: result.total_tags,
      skipped: skipped.length,
      duration_ms: result.duration_ms,
    });
    return result;
  }
}
