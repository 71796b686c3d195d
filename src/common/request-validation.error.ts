import { ValidationError } from 'class-validator';
import { DomainError, ErrorCode } from './domain-error';
import { allMessages, firstProblem, spanishDetail } from './request-validation-messages';

/** Raised by the global ValidationPipe; carries the offending field for the error body. */
export class RequestValidationError extends DomainError {
  readonly messages: string[];

  constructor(errors: ValidationError[]) {
    const problem = firstProblem(errors);
    super(ErrorCode.INVALID_REQUEST, problem ? spanishDetail(problem) : 'La solicitud no es válida.', {
      field: problem?.field,
    });
    this.messages = allMessages(errors);
  }
}
