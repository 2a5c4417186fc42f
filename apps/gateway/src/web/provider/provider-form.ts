import { AppError } from '../../common/errors/app-error';
import { FormState } from '../forms/form-errors';

/** Fields whose typed value is never sent back to the browser. */
const SECRET_FIELDS = new Set(['password']);

/** The form as typed (strings only, never a password), for re-rendering it. */
export function typedValues(body: unknown, fields: readonly string[]): Record<string, string> {
  const source = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  return Object.fromEntries(
    fields.filter((f) => !SECRET_FIELDS.has(f) && typeof source[f] === 'string').map((f) => [f, String(source[f])]),
  );
}

/**
 * A service's refusal as a form state: field problems next to their fields (and in the summary), anything else
 * of ours at the top. Undefined for errors that are not the user's to fix (they go to the error page).
 */
export function formStateFrom(err: unknown, body: unknown, fields: readonly string[]): FormState | undefined {
  if (!(err instanceof AppError)) return undefined;
  const values = typedValues(body, fields);
  if (err.fieldErrors?.length) {
    const seen = new Set<string>();
    const errors = err.fieldErrors
      .map((f) => ({ field: fields.includes(f.path) ? f.path : fields[0], message: f.message }))
      .filter((e) => !seen.has(e.field) && seen.add(e.field));
    return { values, errors };
  }
  if (err.code.startsWith('provider.') || err.code.startsWith('authorisation.')) return { values, errors: [{ field: fields[0], message: err.message }] };
  return undefined;
}

/**
 * A link for an email: the configured public origin (PUBLIC_BASE_URL), else the request's own, as the password
 * reset does; the token is URL-encoded.
 */
export function emailLink(publicBaseUrl: string | undefined, req: { protocol: string; get(name: string): string | undefined }, path: string): (token: string) => string {
  const origin = publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  return (token) => `${origin}${path}?token=${encodeURIComponent(token)}`;
}
