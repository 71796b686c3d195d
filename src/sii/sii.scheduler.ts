import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { randomBytes } from 'node:crypto';
import { CHILE_TIME_ZONE } from '../common/chile-time';
import { logEvent } from '../common/log-event';
import { AppConfig, ConfigValidationError } from '../config/app-config';
import { Lifecycle } from '../lifecycle/lifecycle.service';
import { SiiNewsRepository } from './sii-news.repository';
import { SiiService } from './sii.service';

const JOB = 'sii-monitor';
/** A run longer than this loses the lock (it is only a guard against overlap). */
const LOCK_SECONDS = 10 * 60;
/** After a run the lock is kept this long, so replicas ticking on the same schedule skip it. */
const HOLD_AFTER_RUN_SECONDS = 50;

/**
 * In-process schedule for deployments without an Odoo cron: on when SII_MONITOR_CRON is set
 * (off by default). Replicas share the schedule; the `sii:lock` key lets one of them run it.
 */
@Injectable()
export class SiiScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SiiScheduler');
  private readonly owner = randomBytes(8).toString('hex');
  private running = false;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly sii: SiiService,
    private readonly news: SiiNewsRepository,
    private readonly lifecycle: Lifecycle,
  ) {}

  onApplicationBootstrap() {
    const cron = this.config.sii.cron;
    if (!cron) return;
    let job: CronJob;
    try {
      job = CronJob.from({
        cronTime: cron,
        onTick: () => void this.tick(),
        start: false,
        timeZone: CHILE_TIME_ZONE,
      });
    } catch (e) {
      throw new ConfigValidationError('SII_MONITOR_CRON', `is not a valid cron expression (${(e as Error).message})`);
    }
    this.registry.addCronJob(JOB, job);
    job.start();
    logEvent(this.logger, 'sii_schedule_enabled', { cron, time_zone: CHILE_TIME_ZONE });
  }

  onApplicationShutdown() {
    if (this.registry.doesExist('cron', JOB)) this.registry.deleteCronJob(JOB);
  }

  /**
   * One scheduled run, unless one is already going on here or on another replica, or the service
   * is stopping. The shutdown waits for a run in progress (its analyses are cut short near the
   * grace deadline and their items given back). Never throws.
   */
  tick(): Promise<'ran' | 'skipped' | 'failed'> {
    if (this.running || this.lifecycle.draining) return Promise.resolve('skipped');
    this.running = true;
    return this.lifecycle.track(this.runOnce());
  }

  private async runOnce(): Promise<'ran' | 'skipped' | 'failed'> {
    try {
      if (!(await this.news.acquireLock(this.owner, LOCK_SECONDS))) {
        logEvent(this.logger, 'sii_schedule_skipped', { reason: 'another replica holds sii:lock' });
        return 'skipped';
      }
      try {
        await this.sii.monitor(undefined, 'schedule');
        return 'ran';
      } finally {
        await this.news.holdLock(this.owner, HOLD_AFTER_RUN_SECONDS).catch(() => undefined);
      }
    } catch (e) {
      logEvent(this.logger, 'sii_schedule_failed', { error: e instanceof Error ? e.message : String(e) }, 'error');
      return 'failed';
    } finally {
      this.running = false;
    }
  }
}
