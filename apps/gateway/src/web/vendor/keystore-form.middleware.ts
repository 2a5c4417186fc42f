import type { NextFunction, Request, Response } from 'express';
import { MAX_KEYSTORE_UPLOAD_BYTES } from '../../credentials/credentials.service';

// multer ships without type declarations (see credentials/keystore-upload.interceptor.ts): the slice used here.
interface Multer {
  (options: object): { single(field: string): (req: Request, res: Response, done: (err?: unknown) => void) => void };
  memoryStorage(): unknown;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const multer = require('multer') as Multer;

/** The keystore travels back in the second step's hidden field (base64), so fields may be as large as a file. */
const parse = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_KEYSTORE_UPLOAD_BYTES, files: 1, fields: 6, fieldSize: Math.ceil((MAX_KEYSTORE_UPLOAD_BYTES * 4) / 3) + 16 },
}).single('keystore');

export interface KeystoreFormRequest {
  file?: { buffer: Buffer; originalname?: string };
  /** Why the form could not be read (a file over the size limit…), for the page to say at the field. */
  keystoreFormError?: 'too_large' | 'unreadable';
}

/**
 * Parses the keystore upload forms (`multipart/form-data`) before the page guard, so the guard finds their CSRF
 * field as in any other form. Errors do not stop the request: the page says what went wrong next to the file input
 * (a form that is refused before its CSRF field was read is refused by the guard as any form without one).
 */
export function keystoreForm(req: Request & KeystoreFormRequest, res: Response, next: NextFunction): void {
  if (!req.is('multipart/form-data')) return next();
  parse(req, res, (err) => {
    if (err) req.keystoreFormError = (err as { code?: string }).code === 'LIMIT_FILE_SIZE' ? 'too_large' : 'unreadable';
    next();
  });
}
