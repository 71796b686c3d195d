import { Injectable, PipeTransform } from '@nestjs/common';
import { assertSessionId } from './session-id';

/** Path `:id` → a valid session id, or a 400 naming `session_id` before anything touches the store. */
@Injectable()
export class SessionIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return assertSessionId(value);
  }
}
