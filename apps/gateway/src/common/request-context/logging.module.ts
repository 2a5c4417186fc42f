import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { RequestLogMiddleware } from './request-log.middleware';

/** Credentials in headers and any `password` field never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'body.password',
  // Credential upload (JSON form and multipart fields): the keystore password and the keystore itself.
  'req.body.password',
  'req.body.keystoreXml',
  'keystoreXml',
  '*.keystoreXml',
];

/** The request id of the CLS context the line is written in (RequestScopeMiddleware opens one per request). */
function requestIdMixin(): { requestId?: string } {
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? { requestId: cls.getId() } : {};
}

/**
 * pino as Nest's application logger (`app.useLogger` in create-app.ts). Code logs through Nest's `Logger`, never
 * `@InjectPinoLogger`, so no provider depends on the order module files load in. Every line written during a
 * request carries its `requestId` through pino's mixin, read from the request's CLS context: one root logger, no
 * logger per request (see RequestLogMiddleware), so nestjs-pino mounts no middleware (`useExisting`, no routes).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: { logger: pino({ level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, mixin: requestIdMixin }) },
        // No per-request binding at all: there is no request logger to bind (that middleware would only open a second
        // AsyncLocalStorage context per request, which every promise then carries).
        useExisting: true,
        forRoutes: [],
      }),
    }),
  ],
  providers: [RequestLogMiddleware],
})
export class LoggingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLogMiddleware).forRoutes('/');
  }
}
