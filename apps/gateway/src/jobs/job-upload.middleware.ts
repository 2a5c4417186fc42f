import express, { NextFunction, Request, Response } from 'express';
import type { InputFormat } from './job-input.parser';
import { AppError } from '../common/errors/app-error';

/** 100,000 rows of CSV or JSON fit with room to spare; a larger body is refused (413) before it is buffered whole. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
const UPLOAD_PATH = /^\/v1\/organisations\/[^/]+\/(verification|creation)-jobs\/?(\?|$)/;

/** What the route reads: the document as text and how to parse it (the idempotency fingerprint covers both). */
export interface JobUpload {
  format: InputFormat;
  text: string;
}

// multer ships without type declarations and @types/multer is not a dependency; this is the slice used here.
interface UploadedFile {
  originalname: string;
  mimetype: string;
  buffer: Buffer;
}
interface Multer {
  (options: object): { any(): (req: Request, res: Response, done: (err?: unknown) => void) => void };
  memoryStorage(): unknown;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const multer = require('multer') as Multer;
const parseForm = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, fieldSize: 1024 } }).any();
const readText = express.text({ type: () => true, limit: MAX_UPLOAD_BYTES });

/**
 * Bulk job uploads (verification and creation jobs) are larger than the 1 MiB JSON limit of every other route, and CSV is not JSON: this route's body is
 * read here, before the JSON parser (which then skips it), as text with its format. Multipart: one file (CSV, or
 * JSON / NDJSON by its type or name). Runs after `RequestMediaTypes`, which already refused undocumented types.
 */
export function jobUpload(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'POST' || !UPLOAD_PATH.test(req.originalUrl)) return next();
  if (req.is('multipart/form-data')) {
    return parseForm(req, res, (err) => {
      if (err) return next(refusal(err));
      const file = ((req as Request & { files?: UploadedFile[] }).files ?? [])[0];
      req.body = file ? ({ format: formatOf(file.mimetype, file.originalname), text: file.buffer.toString('utf8') } satisfies JobUpload) : undefined;
      next();
    });
  }
  readText(req, res, (err?: unknown) => {
    if (err) return next(err);
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    req.body = typeof req.body === 'string' ? ({ format: formatOf(type, ''), text: req.body } satisfies JobUpload) : undefined;
    next();
  });
}

function formatOf(mediaType: string, name: string): InputFormat {
  if (mediaType === 'application/x-ndjson' || mediaType === 'application/jsonl' || /\.(ndjson|jsonl)$/i.test(name)) return 'ndjson';
  if (mediaType === 'application/json' || /\.json$/i.test(name)) return 'json';
  return 'csv';
}

/** A multipart refusal as the one problem filter words it (with the request id), like the body parsers' refusals. */
function refusal(err: unknown): AppError {
  return (err as { code?: string }).code === 'LIMIT_FILE_SIZE'
    ? new AppError('request.payload_too_large', `The upload is larger than ${MAX_UPLOAD_BYTES} bytes`)
    : new AppError('request.bad_request', 'The multipart form cannot be read: send one file');
}
