import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { ProviderError } from '../llm-errors';
import { translateSdkError } from './sdk-errors';

const anthropicType = (e: Error) => (e as { type?: string | null }).type ?? undefined;
const openAiType = (e: Error) =>
  (e as { code?: string | null }).code ?? (e as { type?: string | null }).type ?? undefined;

describe('translateSdkError (the SDKs’ own error classes → ProviderError)', () => {
  it('reads the status, the provider error type and retry-after of an Anthropic APIError', () => {
    const e = Anthropic.APIError.generate(
      529,
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      undefined,
      new Headers({ 'retry-after': '2' }),
    );
    const p = translateSdkError('anthropic', e, Anthropic, anthropicType);
    expect(p).toMatchObject({
      provider: 'anthropic',
      reason: 'overloaded',
      extra: { status: 529, apiType: 'overloaded_error', retryAfterMs: 2000 },
    });
  });

  it('uses OpenAI’s `code` before its `type`', () => {
    const e = OpenAI.APIError.generate(
      429,
      { error: { code: 'rate_limit_exceeded', type: 'requests', message: 'slow down' } },
      undefined,
      new Headers({ 'retry-after-ms': '150' }),
    );
    const p = translateSdkError('openai', e, OpenAI, openAiType);
    expect(p).toMatchObject({
      provider: 'openai',
      reason: 'rate_limited',
      extra: { status: 429, apiType: 'rate_limit_exceeded', retryAfterMs: 150 },
    });
  });

  it.each([
    ['abort', new Anthropic.APIUserAbortError(), 'aborted'],
    ['timeout', new Anthropic.APIConnectionTimeoutError(), 'timeout'],
    ['connection', new Anthropic.APIConnectionError({ message: 'ECONNREFUSED' }), 'connection'],
    [
      '401',
      Anthropic.APIError.generate(401, { error: { type: 'authentication_error' } }, undefined, new Headers()),
      'unauthorized',
    ],
    [
      '400',
      Anthropic.APIError.generate(400, { error: { type: 'invalid_request_error' } }, undefined, new Headers()),
      'rejected',
    ],
    ['unparseable body', new SyntaxError('Unexpected token'), 'bad_response'],
    ['socket error while reading', new TypeError('terminated'), 'connection'],
  ])('%s → %s', (_name, error, reason) => {
    expect(translateSdkError('anthropic', error, Anthropic, anthropicType).reason).toBe(reason);
  });

  it('passes a ProviderError through untouched', () => {
    const original = new ProviderError('openai', 'server_error', 'x');
    expect(translateSdkError('openai', original, OpenAI, openAiType)).toBe(original);
  });
});
