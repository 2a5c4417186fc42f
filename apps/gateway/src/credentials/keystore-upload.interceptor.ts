import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { AppError } from '../common/errors/app-error';
import { keystoreTooLarge } from './credential-upload.error';
import { MAX_KEYSTORE_UPLOAD_BYTES } from './credentials.service';

// multer ships without type declarations and @types/multer is not a dependency; this is the slice used here.
interface Multer {
  (options: object): { single(field: string): (req: Request, res: Response, done: (err?: unknown) => void) => void };
  memoryStorage(): unknown;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const multer = require('multer') as Multer;

const parseKeystoreForm = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_KEYSTORE_UPLOAD_BYTES, files: 1, fields: 4, fieldSize: 4096 },
}).single('keystore');

/**
 * Parses `multipart/form-data` uploads (`keystore` file + `credentialId` + `password`) in memory with a hard size
 * cap, so an oversized file is refused as `credential.keystore_too_large` before anything else reads it.
 */
@Injectable()
export class KeystoreUploadInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (!req.is('multipart/form-data')) return next.handle();
    const parsed = new Promise<void>((resolve, reject) =>
      parseKeystoreForm(req, http.getResponse<Response>(), (err) => (err ? reject(mapMulterError(err)) : resolve())),
    );
    return from(parsed).pipe(switchMap(() => next.handle()));
  }
}

function mapMulterError(err: unknown): AppError {
  const code = (err as { code?: string }).code;
  if (code === 'LIMIT_FILE_SIZE') return keystoreTooLarge(MAX_KEYSTORE_UPLOAD_BYTES);
  return new AppError('request.bad_request', `Unreadable multipart form: ${code ?? 'parse error'}`);
}
