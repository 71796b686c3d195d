import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { callerTracker } from '../common/api-key';
import { IS_PUBLIC } from '../common/public.decorator';

/** RATE_LIMIT_PER_MINUTE per API key across all routes (by IP when there is no key). */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return !!this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
  }

  protected override async getTracker(req: {
    headers?: Record<string, string | string[] | undefined>;
    ip?: string;
  }): Promise<string> {
    return callerTracker(req.headers ?? {}, req.ip ?? 'unknown');
  }

  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }
}
