import { AppError } from '../../common/errors/app-error';
import { statusForCode } from '../../common/errors/error-status';
import { FormState } from '../forms/form-errors';
import { typedValues } from '../provider/provider-form';

/** Form fields that may repeat (checkboxes, multi-selects): always an array of strings. */
export function formValues(body: unknown, field: string): string[] {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * A refusal of ours as a form state: field problems next to their field (paths like `scopes.0` or `organisationIds[2]`
 * go to the field they start with), anything else at `fallbackField`. Undefined for errors that are not the user's
 * to fix, which go to the error page (a 403 from the access policy among them).
 */
export function vendorFormState(err: unknown, body: unknown, fields: readonly string[], fallbackField = fields[0]): FormState | undefined {
  if (!(err instanceof AppError) || err.code.startsWith('auth.')) return undefined;
  const values = typedValues(body, fields);
  if (err.fieldErrors?.length) {
    const seen = new Set<string>();
    const errors = err.fieldErrors
      .map((f) => {
        const root = f.path.split(/[.[]/)[0];
        return { field: fields.includes(root) ? root : fallbackField, message: f.message };
      })
      .filter((e) => !seen.has(e.field) && seen.add(e.field));
    return { values, errors };
  }
  if (statusForCode(err.code).status >= 500) return undefined;
  return { values, errors: [{ field: fallbackField, message: err.message }] };
}
