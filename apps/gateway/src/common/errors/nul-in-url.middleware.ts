import type { NextFunction, Request, Response } from 'express';
import { AppError } from './app-error';

const ENCODED_NUL = /%00/i;

/**
 * A NUL in a path or query value names nothing and cannot reach Postgres (which refuses it as text): answer 400
 * `request.invalid_character` before any route, guard or pipe sees it.
 */
export function rejectNulInUrl(req: Request, _res: Response, next: NextFunction): void {
  next(ENCODED_NUL.test(req.originalUrl) ? new AppError('request.invalid_character', 'The URL contains a NUL character') : undefined);
}
