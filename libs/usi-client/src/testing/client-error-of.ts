import { UsiClientError } from '../errors/usi-client-error';

/** The `UsiClientError` a promise rejects with; throws (failing the test) when it resolves or rejects with anything else. */
export async function clientErrorOf(p: Promise<unknown>): Promise<UsiClientError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof UsiClientError) return err;
    throw new Error(`expected a UsiClientError, got ${String(err)}`);
  }
  throw new Error('expected a rejection');
}
