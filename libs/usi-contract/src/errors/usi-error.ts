/**
 * Base of every error the protocol libraries throw. `code` is stable (`area.reason`) and is what callers switch on;
 * `details` carries non-sensitive facts only (never key material, passwords or personal data).
 */
export class UsiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
