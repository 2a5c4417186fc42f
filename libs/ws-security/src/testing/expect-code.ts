import { WsSecurityError } from '../errors/ws-security.error';

/** The WsSecurityError `fn` throws; fails the test if it throws anything else or nothing. */
export function wsErrorOf(fn: () => unknown): WsSecurityError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WsSecurityError) return err;
    throw err;
  }
  throw new Error('expected a WsSecurityError, but nothing was thrown');
}

/** The `code` of the WsSecurityError `fn` throws; fails the test if it throws anything else or nothing. */
export function codeOf(fn: () => unknown): string {
  return wsErrorOf(fn).code;
}
