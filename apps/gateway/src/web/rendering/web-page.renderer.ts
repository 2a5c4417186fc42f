import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import type { Request, Response } from 'express';
import { CSRF_FORM_FIELD } from '../../auth/csrf/csrf-protection.service';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { emptyForm, FormState } from '../forms/form-errors';
import { WebCsrf } from '../forms/web-csrf';
import { WebRequestState } from '../session/web-user';
import { webSourceDir } from './web-source';

/** What every page template receives besides its own data. */
export interface PageData {
  /** The page's `<h1>` and `<title>`. */
  title: string;
  /** A form page's typed values and errors (shown next to each field and summarised at the top). */
  form?: FormState;
  /** A one-line confirmation shown at the top (`role="status"`). */
  notice?: string;
  [key: string]: unknown;
}

/**
 * Renders `views/<name>.eta` inside `views/layout.eta`. Eta escapes every `<%= %>` (only `<%~ %>` is raw, used for
 * the layout's body and server-made SVG). Each page gets `it.user` (signed-in user or undefined), `it.csrf` (the
 * hidden field's name and token for its forms), `it.form` (values/errors, empty by default) and `it.devMailbox`.
 */
@Injectable()
export class WebPageRenderer {
  private readonly eta: Eta;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly csrf: WebCsrf,
  ) {
    this.eta = new Eta({ views: join(webSourceDir(), 'views'), cache: config.nodeEnv === 'production', autoEscape: true, autoTrim: false });
  }

  /** Renders and sends the page (`text/html`, status 200 unless given: 400/422 for a form with errors). */
  send(req: Request, res: Response, view: string, data: PageData, status = 200): void {
    res.status(status).type('html').send(this.render(req, res, view, data));
  }

  render(req: Request, res: Response, view: string, data: PageData): string {
    return this.eta.render(view, {
      form: emptyForm(),
      ...data,
      user: (req as Request & WebRequestState).webUser,
      csrf: { field: CSRF_FORM_FIELD, token: this.csrf.tokenFor(req, res, this.config.secureCookies) },
      devMailbox: this.config.nodeEnv !== 'production',
    });
  }
}
