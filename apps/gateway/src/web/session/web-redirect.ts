/** Thrown by a web guard or page to send the browser elsewhere (303 See Other: the next request is a GET). */
export class WebRedirect extends Error {
  constructor(readonly location: string) {
    super(`redirect to ${location}`);
  }
}

/** `next` for after sign-in: a local path only, so a crafted link cannot send a user to another site. */
export function safeNextPath(next: unknown): string | undefined {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined;
  return next.length <= 512 && !/[\r\n]/.test(next) ? next : undefined;
}
