import type { NextFunction, Request, Response } from 'express';
import { AppError } from './app-error';

/** body-parser's error `type`s, each with the stable code the client sees. */
const PARSER_ERRORS: Readonly<Record<string, [code: string, message: string]>> = {
  'entity.parse.failed': ['request.malformed_json', 'The request body is not valid JSON'],
  'entity.too.large': ['request.payload_too_large', 'The request body is too large'],
  'entity.too.deep': ['request.too_deep', 'The request body is nested too deeply'],
  'charset.unsupported': ['request.unsupported_media_type', 'The request body charset is not supported'],
  'encoding.unsupported': ['request.unsupported_encoding', 'The request body content encoding is not supported'],
};

const BAD_ENCODING: [code: string, message: string] = ['request.bad_encoding', 'The request body does not match its Content-Encoding'];

/**
 * zlib's failures while inflating a gzip / deflate / brotli body: `Z_DATA_ERROR`, `Z_BUF_ERROR` … and brotli's
 * `ERR__ERROR_FORMAT_…` codes. body-parser passes them on as a 400 without a `type`.
 */
const isDecompressionError = (code: unknown): boolean => typeof code === 'string' && /^(Z_|ERR__ERROR_|ERR_BROTLI|ERR_ZLIB)/.test(code);

/**
 * body-parser reports failures as bare errors with a `type` and a 4xx `status`; unmapped they reach the problem
 * filter as anonymous 500s. Give them stable codes here, right behind the parsers. A body that fails to decompress
 * has a status but no `type` (the zlib error is wrapped as it is): 400 `request.bad_encoding`. Any other parser
 * refusal (aborted upload, size mismatch …) is the client's fault: 400 `request.bad_request`.
 */
export function bodyParserErrors(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const e = err as { type?: unknown; status?: unknown; code?: unknown } | null;
  if (typeof e?.status !== 'number' || e.status < 400 || e.status >= 500 || err instanceof AppError) return next(err);
  if (typeof e.type !== 'string') {
    const [code, message] = isDecompressionError(e.code) ? BAD_ENCODING : ['request.bad_request', 'The request body could not be read'];
    return next(new AppError(code, message));
  }
  const [code, message] = PARSER_ERRORS[e.type] ?? ['request.bad_request', 'The request body could not be read'];
  next(new AppError(code, message));
}
