import { UsiError } from '@usi/contract';

/** A field-level problem, the same shape `@usi/contract`'s validators return. */
export interface FieldProblem {
  path: string;
  code: string;
  message: string;
}

/**
 * Errors raised by the gateway itself. The HTTP status is NOT chosen here: the exception filter maps `code`
 * through `ERROR_STATUS`, so the same error reads the same way from a controller, a job or a CLI.
 */
export class AppError extends UsiError {
  constructor(
    code: string,
    message: string,
    details?: Record<string, unknown>,
    readonly fieldErrors?: FieldProblem[],
    /** Extra problem+json members shown to the client (e.g. `upstream`, `guidance`); never secrets. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(code, message, details);
  }
}

/** Absent and "belongs to another vendor" must be indistinguishable, so both use this. */
export class NotFoundError extends AppError {
  constructor(resource: string) {
    super(`${resource}.not_found`, `${resource.replace(/_/g, ' ')} not found`);
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldProblem[], message = 'The request is invalid') {
    super('request.validation', message, undefined, errors);
  }
}
