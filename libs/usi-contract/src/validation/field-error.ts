export interface FieldError {
  /** JSON path, e.g. `verifications[3].usi`; empty for the whole input. */
  path: string;
  /** Stable machine code, e.g. `required`, `too_long`, `usi_check_character`. */
  code: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };
