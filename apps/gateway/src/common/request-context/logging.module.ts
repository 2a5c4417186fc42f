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
 * pino as Nest's application logger (`app.useLogger` in create-app.ts). Code logs through Nest's `Logger`, never
 * `@InjectPinoLogger`, so no provider depends on the order module files load in; nestjs-pino still binds each line
 * written during a request to that request's child logger, so every line carries its `requestId`.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          genReqId: (req, res) => requestIdOf(req, res),
          // Lines written during a request carry a top-level `requestId`, not a copy of the whole request.
          quietReqLogger: true,
          customAttributeKeys: { reqId: 'requestId' },
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          autoLogging: { ignore: (req) => req.url === '/health/live' || req.url === '/metrics' },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
