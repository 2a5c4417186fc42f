import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../../common/errors/app-error';
import { statusForCode } from '../../common/errors/error-status';
import { WebRedirect } from '../session/web-redirect';
import { WebPageRenderer } from './web-page.renderer';

/** Messages for people, not API clients: what happened and what to do, never internals. */
const PAGE_MESSAGES: Record<number, { title: string; message: string }> = {
  // A GET whose query the page never handed out (an edited or stale link, such as a paging cursor).
  400: { title: 'Link not valid', message: 'This address holds something the site did not give out. Go back and follow the links on the page.' },
  403: { title: 'Not allowed', message: 'Your account cannot open this page.' },
  404: { title: 'Page not found', message: 'There is no page at this address.' },
  429: { title: 'Too many attempts', message: 'Too many attempts. Wait a few minutes, then try again.' },
  500: { title: 'Something went wrong', message: 'The page could not be shown. Try again in a moment.' },
};

/** Errors on web pages become HTML pages (or redirects); the JSON API keeps its problem+json filter. */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(WebExceptionFilter.name);

  constructor(private readonly renderer: WebPageRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof WebRedirect) {
      res.redirect(303, exception.location);
      return;
    }
    let status = 500;
    let detail: string | undefined;
    if (exception instanceof AppError) {
      status = statusForCode(exception.code).status;
      // Our own messages are written for the person reading them (CSRF: reload the form; 429: wait).
      if (exception.code === 'auth.csrf' || status === 429) detail = exception.message;
      const retry = exception.details?.retryAfterSeconds;
      if (typeof retry === 'number') res.setHeader('Retry-After', String(retry));
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
    }
    if (status >= 500) this.logger.error({ err: exception }, 'web page failed');
    const page = PAGE_MESSAGES[status] ?? PAGE_MESSAGES[status >= 500 ? 500 : 404];
    const title = exception instanceof AppError && exception.code === 'auth.csrf' ? 'Form expired' : page.title;
    this.renderer.send(req, res, 'error', { title, message: detail ?? page.message }, status);
  }
}
