import type { Request } from 'express';
import { AppError } from '../common/errors/app-error';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_REPLAYED_HEADER = 'Idempotency-Replayed';

/** Printable ASCII (space to tilde), 1 to 255 characters: safe to store, compare and echo in logs. */
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

type WithKey = Request & { idempotencyKey?: string };

/** Reads and checks the header; throws `idempotency.key_required` / `idempotency.invalid_key`. */
export function readIdempotencyKey(req: Request): string {
  const raw = req.headers[IDEMPOTENCY_KEY_HEADER];
  if (raw === undefined || raw === '') {
    throw new AppError('idempotency.key_required', 'This operation needs an Idempotency-Key header (1-255 printable characters)');
  }
  if (typeof raw !== 'string' || !KEY_PATTERN.test(raw)) {
    throw new AppError('idempotency.invalid_key', 'The Idempotency-Key header must be 1-255 printable ASCII characters');
  }
  (req as WithKey).idempotencyKey = raw;
  return raw;
}

/** The key the idempotency interceptor accepted for this request, for deriving upstream request ids. */
export function acceptedIdempotencyKey(req: Request): string | undefined {
  return (req as WithKey).idempotencyKey;
}
