import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AuthModule } from '../auth/auth.module';
import { AppConfig } from '../config/app-config';
import { NotificationsModule } from '../notifications/notifications.module';
import { AssetsController } from './assets/assets.controller';
import { formBody } from './forms/form-body.middleware';
import { WebCsrf } from './forms/web-csrf';
import { PassportModule } from '@nestjs/passport';
import { AccountController } from './account/account.controller';
import { DevMailboxController } from './dev-mailbox/dev-mailbox.controller';
import { DevMailboxRepository } from './dev-mailbox/dev-mailbox.repository';
import { LocalLoginGuard } from './sign-in/local-login.guard';
import { WebLocalStrategy } from './sign-in/local.strategy';
import { MfaSetupController } from './sign-in/mfa-setup.controller';
import { PasswordResetController } from './sign-in/password-reset.controller';
import { SignInController } from './sign-in/sign-in.controller';
import { isPagePath } from './page-paths';
import { HomeController } from './home/home.controller';
import { WebExceptionFilter } from './rendering/web-exception.filter';
import { webHeaders } from './rendering/web-headers.middleware';
import { WebPageRenderer } from './rendering/web-page.renderer';
import { WebSessionGuard } from './session/web-session.guard';


/** Applies `middleware` to page requests only. */
const onPages =
  (middleware: (req: Request, res: Response, next: NextFunction) => void) =>
  (req: Request, res: Response, next: NextFunction): void =>
    isPagePath(req.path) ? middleware(req, res, next) : next();

/**
 * The server-rendered web app (README.md in this folder says how to add a page). Page modules import this one for
 * WebPageRenderer, WebCsrf and WebSessionGuard (through `@WebPage()`). The form parser and the pages' CSP apply to
 * every path that is not the API's, so a page in another module gets them too.
 */
@Module({})
export class WebModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    // The development mailbox shows every email (reset links included) to anyone: it never exists in production.
    const devMailbox = config.nodeEnv !== 'production';
    return {
      module: WebModule,
      global: true,
      imports: [PassportModule, AuthModule, NotificationsModule],
      controllers: [
        HomeController,
        AssetsController,
        SignInController,
        MfaSetupController,
        PasswordResetController,
        AccountController,
        ...(devMailbox ? [DevMailboxController] : []),
      ],
      providers: [WebPageRenderer, WebCsrf, WebSessionGuard, WebExceptionFilter, WebLocalStrategy, LocalLoginGuard, ...(devMailbox ? [DevMailboxRepository] : [])],
      exports: [WebPageRenderer, WebCsrf, WebSessionGuard, WebExceptionFilter, AuthModule],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(onPages(formBody), onPages(webHeaders)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
