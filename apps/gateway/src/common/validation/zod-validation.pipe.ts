import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { FieldProblem, ValidationError } from '../errors/app-error';

/** `verifications[3].usi`, the path form `@usi/contract` uses. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}

export function toFieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        code: 'unknown_field',
        message: 'Unknown field',
      }));
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return [{ path, code: 'required', message: 'Required' }];
    }
    return [{ path, code: issue.code, message: issue.message }];
  });
}

/** Validates and coerces a body or query with zod, reporting every field error at once. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly where: 'body' | 'query',
  ) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(this.where === 'body' && value === undefined ? {} : value);
    if (!result.success) throw new ValidationError(toFieldProblems(result.error), `The request ${this.where} is invalid`);
    return result.data;
  }
}
