import { WsSecurityError } from '../errors/ws-security.error';

/** The `code` of the WsSecurityError `fn` throws; fails the test if it throws anything else or nothing. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof WsSecurityError) return err.code;
    throw err;
  }
  throw new Error('expected a WsSecurityError, but nothing was thrown');
}
