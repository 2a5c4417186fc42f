import type { NextFunction, Request, Response } from 'express';
import { keystoreTooLarge } from './credential-upload.error';
import { MAX_KEYSTORE_UPLOAD_BYTES } from './credentials.service';

/** The two keystore upload routes: the vendor's and an organisation's own (direct mode). */
const KEYSTORE_UPLOAD = /^\/v1\/(credentials|organisations\/[^/]+\/credentials)\/?$/;

/**
 * Mounted on `/v1` between the JSON parser and the generic body-parser mapping. The JSON limit is the keystore
 * limit, so a too-large JSON upload is a too-large keystore: the same 400 `credential.keystore_too_large` as
 * multipart, not a generic 413. The parser refuses on Content-Length before reading, so nothing is buffered.
 */
export function keystoreJsonTooLarge(err: unknown, req: Request, _res: Response, next: NextFunction): void {
  const tooLarge = (err as { type?: unknown } | null)?.type === 'entity.too.large';
  next(tooLarge && req.method === 'POST' && KEYSTORE_UPLOAD.test(`${req.baseUrl}${req.path}`) ? keystoreTooLarge(MAX_KEYSTORE_UPLOAD_BYTES) : err);
}
