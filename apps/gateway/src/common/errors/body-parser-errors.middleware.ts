import type { NextFunction, Request, Response } from 'express';
import { AppError } from './app-error';

/**
 * body-parser reports failures as bare errors with a `type`; Nest would turn a parse failure into an anonymous
 * 400 carrying the parser's message. Give them stable codes here, right behind the parsers.
 */
export function bodyParserErrors(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') return next(new AppError('request.malformed_json', 'The request body is not valid JSON'));
  if (type === 'entity.too.large') return next(new AppError('request.payload_too_large', 'The request body is too large'));
  next(err);
}
