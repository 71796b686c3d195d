import 'reflect-metadata';
import { ChatMessageRequestDto } from '../chat/dto/chat-message.request.dto';
import { SiiMonitorRequestDto } from '../sii/dto/sii-monitor.request.dto';
import { RequestValidationError } from './request-validation.error';
import { createRequestValidationPipe } from './request-validation.pipe';

const pipe = createRequestValidationPipe();
const body = (metatype: new () => unknown, value: unknown) => pipe.transform(value, { type: 'body', metatype });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as RequestValidationError,
  );

describe('RequestValidationPipe', () => {
  it('hands an open object back as sent: same object, every key kept, nothing walked into', async () => {
    const userContext = { company_name: 'Andes SpA', constructor: 1, prototype: { x: 1 }, lines: [{ a: 1 }] };
    const dto = (await body(ChatMessageRequestDto, { message: 'Hola', user_context: userContext })) as any;
    expect(dto).toBeInstanceOf(ChatMessageRequestDto);
    expect(dto.user_context).toBe(userContext);
    expect(dto.user_context).toEqual({
      company_name: 'Andes SpA',
      constructor: 1,
      prototype: { x: 1 },
      lines: [{ a: 1 }],
    });
  });

  it.each([
    ['a list', [1, 2], /debe ser un objeto JSON/],
    ['a string', 'x', /debe ser un objeto JSON/],
  ])('still refuses an open object that is %s, naming it', async (_what, value, detail) => {
    const e = await refusal(body(ChatMessageRequestDto, { message: 'Hola', user_context: value }));
    expect(e).toBeInstanceOf(RequestValidationError);
    expect(e!.extra.field).toBe('user_context');
    expect(e!.detail).toMatch(detail);
  });

  it('reads Odoo’s False as an absent open object', async () => {
    const dto = (await body(ChatMessageRequestDto, { message: 'Hola', user_context: false })) as any;
    expect(dto.user_context).toBeUndefined();
  });

  it('refuses a 200,000-element list by its @ArrayMaxSize, as for 11 elements', async () => {
    const e = await refusal(body(SiiMonitorRequestDto, { urls: new Array(200_000).fill({}) }));
    expect(e!.extra.field).toBe('urls');
    expect(e!.detail).toMatch(/como máximo 10 elementos/);
  });

  it('refuses an unknown field by name whatever it holds', async () => {
    const e = await refusal(body(ChatMessageRequestDto, { message: 'Hola', junk: new Array(200_000).fill({}) }));
    expect(e!.extra.field).toBe('junk');
  });

  it.each([
    ['message', { message: new Array(200_000).fill({ toString: 1 }) }, /debe ser texto/],
    ['urls', { urls: [{ a: new Array(100_000).fill([]) }] }, /URL/],
  ])('validates a structure sent where %s expects text hollow, with the same 400', async (field, value, detail) => {
    const dto = field === 'urls' ? SiiMonitorRequestDto : ChatMessageRequestDto;
    const e = await refusal(body(dto, value));
    expect(e!.extra.field).toBe(field);
    expect(e!.detail).toMatch(detail);
  });
});
