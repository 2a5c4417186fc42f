import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { requestIdOf } from './request-id';

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

/**
 * nestjs-pino creates the `@InjectPinoLogger(context)` providers from the decorators seen when `forRootAsync`
 * runs. Deferring the call to a microtask lets every module file finish loading first; otherwise a service
 * whose file happens to load after this one (the audit service under `node dist/…`) cannot be resolved.
 */
const deferredLoggerModule = Promise.resolve().then(() =>
  LoggerModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      pinoHttp: {
        level: config.logLevel,
        genReqId: (req, res) => requestIdOf(req, res),
        customAttributeKeys: { reqId: 'requestId' },
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        autoLogging: { ignore: (req) => req.url === '/health/live' || req.url === '/metrics' },
      },
    }),
  }),
);

@Module({ imports: [deferredLoggerModule] })
export class LoggingModule {}
