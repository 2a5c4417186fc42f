import { z } from 'zod';
import { FieldProblem, ValidationError } from '../common/errors/app-error';
import { toFieldProblems } from '../common/validation/zod-validation.pipe';

/**
 * Parses a form or JSON body, every field problem at once (the pages show each next to its field). Unknown fields
 * (a form's CSRF token, its button) are dropped, not refused.
 */
export function parseForm<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new ValidationError(toFieldProblems(result.error), 'Some fields need attention');
  return result.data;
}

/** One field's problem, for refusals found past the schema (a taken email, a taken org code). */
export function fieldError(path: string, code: string, message: string): ValidationError {
  const problem: FieldProblem = { path, code, message };
  return new ValidationError([problem], message);
}
