import { ValidationPipe } from '@nestjs/common';
import { RequestValidationError } from './request-validation.error';

/**
 * Strict at the top level (unknown fields are refused, naming them), while DTOs declare the open
 * objects (`user_context`, `dte_data`, `context`) as plain objects so every extra key Odoo sends is kept.
 */
export const createValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Every broken constraint is collected so the most fundamental one is reported (pickConstraint);
    // values are kept on the error objects for that choice, never echoed in a response.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new RequestValidationError(errors),
  });
