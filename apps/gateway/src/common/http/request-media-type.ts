import { ApiConsumes, type OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors/app-error';

export const JSON_MEDIA_TYPE = 'application/json';
const JSON_TYPE = JSON_MEDIA_TYPE;

/**
 * The body types a route takes when it takes more than JSON (the keystore upload's multipart form). It is documented
 * in OpenAPI, and `RequestMediaTypes` reads the document, so this one decorator is both the rule and its documentation.
 * Everything else refuses non-JSON bodies: an HTML form can post `application/x-www-form-urlencoded`,
 * `multipart/form-data` or `text/plain` to another site without a CORS preflight, so refusing them takes the
 * cross-site form out of play before any session is looked at.
 */
export const AcceptsMediaTypes = (...types: string[]): MethodDecorator & ClassDecorator => ApiConsumes(...types);
/** What the JSON body parser decompresses (body-parser 2 on Node 20; zstd needs a newer Node). */
export const JSON_CONTENT_ENCODINGS: ReadonlySet<string> = new Set(['identity', 'gzip', 'deflate', 'br']);
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface DocumentedRoute {
  method: string;
  pattern: RegExp;
  /** Media types the operation documents for its request body; JSON when it documents none. */
  accepts: readonly string[];
}

/** `type/subtype` of a Content-Type header, lower-cased, without parameters; '' when absent. */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** `application/json` and structured-syntax `+json` types (RFC 6839) are all JSON to the parser. */
export function isJsonMediaType(type: string): boolean {
  return type === JSON_TYPE || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(type);
}

/** A request carries a body when it is chunked or declares a non-zero length (an empty POST has nothing to refuse). */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * Refuses a request body the route cannot read, before any parser touches it: every route reads JSON unless its
 * OpenAPI operation documents other request media types (the keystore upload documents `multipart/form-data`), so
 * the rule follows the documentation instead of a list kept by hand. Without this a `text/plain` body was skipped by
 * the JSON parser and the route saw no body at all (400 `request.validation`, which blames the wrong thing).
 *
 * - a body whose media type the route does not document → 415 `request.unsupported_media_type`;
 * - a compressed body the route's reader cannot decompress (anything but JSON, or an unknown coding) → 415
 *   `request.unsupported_encoding`; a JSON body that fails to decompress is `request.bad_encoding` (bodyParserErrors).
 *
 * Requests to paths the document does not know are left alone: the router answers them 404.
 */
export class RequestMediaTypes {
  private routes: DocumentedRoute[] = [];

  /** Reads the documented request media types of every operation. */
  learn(document: OpenAPIObject): this {
    this.routes = Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.flatMap((method) => {
        const op = (item as Record<string, { requestBody?: { content?: Record<string, unknown> } } | undefined>)[method];
        if (!op) return [];
        const documented = Object.keys(op.requestBody?.content ?? {}).map((t) => t.toLowerCase());
        return [{ method: method.toUpperCase(), pattern: pathPattern(path), accepts: documented.length ? documented : [JSON_TYPE] }];
      }),
    );
    return this;
  }

  readonly middleware = (req: Request, _res: Response, next: NextFunction): void => {
    // A bodiless write that still names a media type (an empty cross-site form) is checked like a full one.
    if (!hasBody(req) && (req.headers['content-type'] === undefined || SAFE_METHODS.has(req.method))) return next();
    const route = this.routes.find((r) => r.method === req.method && r.pattern.test(req.path));
    if (!route) return next();
    const type = mediaTypeOf(req.headers['content-type']);
    if (!route.accepts.some((accepted) => accepted === type || (accepted === JSON_TYPE && isJsonMediaType(type)))) {
      return next(
        new AppError(
          'request.unsupported_media_type',
          `This route reads ${route.accepts.join(' or ')}, not ${type.slice(0, 100) || 'a body without a Content-Type'}`,
          undefined,
          undefined,
          { accepted: route.accepts },
        ),
      );
    }
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && !(isJsonMediaType(type) && JSON_CONTENT_ENCODINGS.has(encoding))) {
      return next(new AppError('request.unsupported_encoding', `The request body content encoding "${encoding.slice(0, 40)}" is not supported here`));
    }
    next();
  };
}

/** `/v1/organisations/{orgCode}/usis` → a regular expression matching one path segment per parameter. */
function pathPattern(path: string): RegExp {
  const source = path
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`, 'i');
}
