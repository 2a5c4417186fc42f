import { applyDecorators, SetMetadata, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController, ApiExcludeEndpoint } from '@nestjs/swagger';
import { Public } from '../../common/auth/public.decorator';
import type { UserRole } from '../../common/request-context/principal';
import { WebExceptionFilter } from '../rendering/web-exception.filter';
import { WebSessionGuard } from './web-session.guard';

export const WEB_PAGE = 'web:page';

/**
 * Who may open a page:
 * - `anyone`: signed out or in (landing, sign-in, password reset);
 * - `password`: a session that has passed the password (second-step and enrolment pages);
 * - `user` (default): a session that has passed the second factor: every page with data.
 */
export type WebAccess = 'anyone' | 'password' | 'user';

export interface WebPageOptions {
  access?: WebAccess;
  /** The session user must hold one of these roles (the access policy decides, as for the API). */
  roles?: UserRole[];
}

/**
 * Marks a controller (or one handler) as server-rendered pages: outside the JSON API's guard (`@Public()`) and its
 * OpenAPI document, behind WebSessionGuard instead (sign-in redirects, second factor, roles, form CSRF), with errors
 * rendered as HTML pages. A handler's own `@WebPage` overrides its controller's.
 */
export const WebPage =
  (options: WebPageOptions = {}) =>
  (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const decorators = applyDecorators(
      Public(),
      SetMetadata(WEB_PAGE, { access: options.access ?? 'user', roles: options.roles }),
      UseGuards(WebSessionGuard),
      UseFilters(WebExceptionFilter),
      // Pages are not API operations: out of the OpenAPI document (and so out of its route matrix and media rules).
      descriptor ? ApiExcludeEndpoint() : ApiExcludeController(),
    );
    if (descriptor) (decorators as MethodDecorator)(target, key!, descriptor);
    else (decorators as ClassDecorator)(target as CallableFunction);
  };
