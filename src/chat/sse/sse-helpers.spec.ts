import { DomainError, ErrorCode, StoreUnavailableError } from '../../common/domain-error';
import { LlmInterruptedError } from '../../llm/llm.types';
import { assertSessionId, isValidSessionId } from '../session/session-id';
import { acceptsOnlyEventStream } from './accept';
import { streamErrorPayload } from './stream-error';

describe('acceptsOnlyEventStream', () => {
  it.each([
    ['text/event-stream', true],
    ['Text/Event-Stream; charset=utf-8', true],
    ['text/event-stream, text/event-stream;q=0.5', true],
    ['*/*', false],
    ['application/json', false],
    ['text/event-stream, application/json', false],
    ['text/event-stream, */*', false],
    ['', false],
    [undefined, false],
  ])('%p → %p', (accept, expected) => expect(acceptsOnlyEventStream(accept)).toBe(expected));
});

describe('session ids', () => {
  it.each([
    ['3f1c2a9e-8b7d-4c6e-9a51-2d0f7b4e6c13', true],
    ['chat_2_a1b2c3d4', true],
    ['x', true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['', false],
    ['../x', false],
    ['a:b', false],
    ['a b', false],
    ['chat:session:*', false],
    ['ñandú', false],
    [42, false],
    [null, false],
  ])('%p valid=%p', (id, valid) => expect(isValidSessionId(id)).toBe(valid));

  it('a bad id is a 400-coded error naming session_id', () => {
    try {
      assertSessionId('../x');
      throw new Error('not thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe(ErrorCode.INVALID_SESSION_ID);
      expect((e as DomainError).extra.field).toBe('session_id');
      expect((e as DomainError).detail).toContain('session_id');
    }
  });
});

describe('streamErrorPayload', () => {
  it('keeps a domain error code and its Spanish detail', () => {
    expect(streamErrorPayload(new StoreUnavailableError())).toEqual({
      code: 'STORE_UNAVAILABLE',
      detail: expect.stringContaining('Redis'),
    });
  });
  it('keeps the code and Spanish detail of an interrupted LLM answer', () => {
    const e = new LlmInterruptedError('stream_idle_timeout', 'anthropic', {
      operation_id: 'op',
      cost_usd: 0,
      text_length: 3,
    });
    expect(streamErrorPayload(e)).toEqual({ code: 'stream_idle_timeout', detail: e.detail });
    expect(e.detail).toMatch(/dejó de enviar/);
  });
  it('does not trust an error that merely looks coded (code + detail) but is not one of ours', () => {
    const e = Object.assign(new Error('cut'), { code: 'stream_idle_timeout', detail: 'stack at 10.0.0.1' });
    expect(streamErrorPayload(e)).toEqual({ code: 'PROVIDER_FAILED', detail: expect.any(String) });
  });
  it('hides a system error code without a user-facing detail', () => {
    const e = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(streamErrorPayload(e)).toEqual({ code: 'PROVIDER_FAILED', detail: expect.any(String) });
  });
  it('never leaks internals of an unknown error', () => {
    const p = streamErrorPayload(new Error('ECONNRESET at 10.0.0.1'));
    expect(p.code).toBe('PROVIDER_FAILED');
    expect(p.detail).not.toContain('ECONNRESET');
  });
});
