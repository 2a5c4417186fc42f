/** Injection token of the typed, already-validated `AppConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');
