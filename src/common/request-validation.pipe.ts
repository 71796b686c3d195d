import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { RequestValidationError } from './request-validation.error';

/** What the pipe needs to know about a DTO's top-level properties. */
interface Shape {
  /** Validated only as "an object" (`@IsObject()`): the caller's own data, kept as sent. */
  open: Set<string>;
  /** `@ArrayMaxSize(n)` of each array property. */
  arrayMax: Map<string, number>;
  /** Properties validated as nested DTOs (`@ValidateNested()`): their structure matters, so it is kept. */
  nested: Set<string>;
  /** Properties declared as lists (`@IsArray()`). */
  lists: Set<string>;
  known: Set<string>;
}

const shapes = new WeakMap<object, Shape>();

function shapeOf(metatype: new () => unknown): Shape {
  let shape = shapes.get(metatype);
  if (!shape) {
    const metas = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
    shape = { open: new Set(), arrayMax: new Map(), nested: new Set(), lists: new Set(), known: new Set() };
    for (const m of metas) {
      shape.known.add(m.propertyName);
      if (m.type === 'nestedValidation') shape.nested.add(m.propertyName);
      if (m.name === 'isObject' && !m.each) shape.open.add(m.propertyName);
      if (m.name === 'isArray') shape.lists.add(m.propertyName);
      if (m.name === 'arrayMaxSize') shape.arrayMax.set(m.propertyName, Number(m.constraints[0]));
    }
    shapes.set(metatype, shape);
  }
  return shape;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** An empty value of the same kind: enough for any scalar validator, which fails on any object alike. */
const hollow = (v: unknown) => (Array.isArray(v) ? [] : v && typeof v === 'object' ? {} : v);

/** What the pipe validates in place of a closed (scalar or list-of-scalars) property's value. */
function closedStandIn(v: unknown, shape: Shape, key: string): unknown {
  if (!Array.isArray(v)) return hollow(v);
  const max = shape.arrayMax.get(key);
  if (max !== undefined) return v.slice(0, max + 1).map(hollow);
  // A list without a declared maximum is kept whole; a list where no list is declared fails alike empty.
  return shape.lists.has(key) ? v : [];
}

/**
 * Strict at the top level (unknown fields are refused, naming them), while DTOs declare the open
 * objects (`user_context`, `context`) as plain objects so every extra key Odoo sends is kept.
 *
 * Nest's pipe and class-transformer walk every nested value of a body (several times, and
 * class-transformer slows down badly on many keys: 60,000 keys took 1.6 s), which would let one
 * 1 MiB body hold the event loop. So they are given only what the DTO declares: an open object is
 * validated as an empty stand-in and put back untouched afterwards (its consumers bound what they
 * read); an array is cut one past its `@ArrayMaxSize` (still too long, same 400); an object or list
 * where a scalar is declared is validated hollow (it fails the same); an unknown field keeps its
 * name with a null value (still refused by name). Only `@ValidateNested()` properties are walked.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype as (new () => unknown) | undefined;
    if (!metatype || !isPlainObject(value) || !this.toValidate(metadata)) return super.transform(value, metadata);
    const shape = shapeOf(metatype);
    const standIn: Record<string, unknown> = {};
    const kept = new Map<string, Record<string, unknown>>();
    for (const key of Object.keys(value)) {
      const v = value[key];
      if (!shape.known.has(key)) standIn[key] = null;
      else if (shape.open.has(key) && isPlainObject(v)) {
        kept.set(key, v);
        standIn[key] = {};
      } else if (shape.open.has(key) || !shape.nested.has(key)) standIn[key] = closedStandIn(v, shape, key);
      else standIn[key] = v;
    }
    const result = (await super.transform(standIn, metadata)) as Record<string, unknown>;
    for (const [key, original] of kept) if (isPlainObject(result[key])) result[key] = original;
    return result;
  }
}

export const createRequestValidationPipe = () =>
  new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Every broken constraint is collected so the most fundamental one is reported (pickConstraint);
    // values are kept on the error objects for that choice, never echoed in a response.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new RequestValidationError(errors),
  });
