import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiConsumes } from '@nestjs/swagger';
import type { Request } from 'express';
import { AppError } from '../errors/app-error';

export const ACCEPTED_MEDIA_TYPES = 'http:accepted_media_types';
export const JSON_MEDIA_TYPE = 'application/json';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The body types a route takes, when it takes more than JSON (e.g. the keystore upload's multipart form); also what
 * OpenAPI documents. Everything else in the JSON API refuses non-JSON bodies: an HTML form can post
 * `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain` to another site without a CORS
 * preflight, so refusing them takes the cross-site form out of play before any session is looked at.
 */
export const AcceptsMediaTypes = (...types: string[]) =>
  applyDecorators(SetMetadata(ACCEPTED_MEDIA_TYPES, types), ApiConsumes(...types));

/** 415 `request.unsupported_media_type` unless a state-changing request's body is one of `accepted` (or absent). */
export function assertAcceptedMediaType(req: Request, accepted: readonly string[] = [JSON_MEDIA_TYPE]): void {
  if (SAFE_METHODS.has(req.method)) return;
  const header = req.headers['content-type'];
  // An empty form still names its type: a bodiless cross-site POST is refused like a full one.
  if (header === undefined && !hasBody(req)) return;
  const type = (header ?? '').split(';')[0].trim().toLowerCase();
  if (accepted.includes(type)) return;
  throw new AppError(
    'request.unsupported_media_type',
    `Send the request body as ${accepted.join(' or ')}`,
    undefined,
    undefined,
    { accepted },
  );
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
