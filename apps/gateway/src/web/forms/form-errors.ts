/** One problem with one form field, shown next to the field and in the summary at the top of the page. */
export interface FieldError {
  /** The input's `name`; its id is `field-<name>` so the summary can link to it. */
  field: string;
  message: string;
}

/** What a form page re-renders with: the values typed (never a password) and the problems found. */
export interface FormState {
  values: Record<string, string>;
  errors: FieldError[];
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: [] });

/** Form bodies are flat strings; anything else (a repeated field, a missing one) reads as ''. */
export function formValue(body: unknown, field: string): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : '';
}
