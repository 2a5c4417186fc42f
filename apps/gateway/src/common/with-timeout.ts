/**
 * `p`, or a rejection once `ms` have passed. The timer is cleared as soon as `p` settles: a timer left running holds
 * the async context it was created in (a request's, with everything it references) until it fires.
 */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
