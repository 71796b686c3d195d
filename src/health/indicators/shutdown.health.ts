import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Lifecycle } from '../../lifecycle/lifecycle.service';

/** Down from the moment a shutdown starts, so readiness fails at once and traffic moves away. */
@Injectable()
export class ShutdownHealthIndicator {
  constructor(
    private readonly lifecycle: Lifecycle,
    private readonly indicator: HealthIndicatorService,
  ) {}

  draining(): boolean {
    return this.lifecycle.draining;
  }

  check(key = 'lifecycle') {
    const session = this.indicator.check(key);
    return this.lifecycle.draining ? session.down({ message: 'shutting down' }) : session.up();
  }
}
