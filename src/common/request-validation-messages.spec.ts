import { pickConstraint, spanishDetail } from './request-validation-messages';

describe('spanishDetail', () => {
  it.each([
    ['whitelistValidation', 'property foo should not exist', 'no está permitido'],
    ['isNotEmpty', 'message should not be empty', 'obligatorio'],
    ['maxLength', 'message must be shorter than or equal to 4000 characters', '4000'],
    ['max', 'top_k must not be greater than 20', '20'],
    ['min', 'top_k must not be less than 1', '1'],
    ['isInt', 'company_id must be an integer number', 'entero'],
    ['arrayMaxSize', 'history must contain no more than 100 elements', '100'],
    ['somethingNew', 'x is odd', 'x is odd'],
  ])('%s names the field and says why', (constraint, message, expected) => {
    const detail = spanishDetail({ field: 'campo.x', constraint, message });
    expect(detail).toContain('"campo.x"');
    expect(detail).toContain(expected);
  });
});

describe('pickConstraint', () => {
  it.each([
    [
      { maxLength: 'query must be shorter than or equal to 500 characters', isString: 'query must be a string' },
      undefined,
      'isDefined',
    ],
    [{ matches: 'message must match', isNotEmpty: 'message should not be empty' }, '', 'isNotEmpty'],
    [{ max: 'PORT must not be greater than 65535', isInt: 'PORT must be an integer number' }, 'abc', 'isInt'],
    [{ max: 'top_k must not be greater than 20' }, 50, 'max'],
    [{ whitelistValidation: 'property foo should not exist' }, undefined, 'whitelistValidation'],
  ])('%j with value %p → %s', (constraints, value, expected) => {
    expect(pickConstraint(constraints, value)?.[0]).toBe(expected);
  });
});
