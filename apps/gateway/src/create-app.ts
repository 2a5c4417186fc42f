import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule, AppOptions } from './app.module';
import { AppConfig } from './config/app-config';
import { bodyParserErrors } from './common/errors/body-parser-errors.middleware';
import { rejectNulInUrl } from './common/errors/nul-in-url.middleware';
import { verifyJsonDepth } from './common/validation/json-depth';
import { keystoreJsonTooLarge } from './credentials/keystore-json-limit.middleware';
import { setupOpenApi } from './common/openapi/openapi.setup';
import { GatewayExpressAdapter } from './common/http/gateway-express.adapter';
import { requestIdOf } from './common/request-context/request-id';
import { MetricsService } from './metrics/metrics.service';

export const JSON_BODY_LIMIT = '1mb';

/** Builds and initialises the gateway without listening: main.ts, the demo bootstrap and the e2e tests share it. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), new GatewayExpressAdapter(), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.use((req: Parameters<typeof requestIdOf>[0], res: Parameters<typeof requestIdOf>[1], next: () => void) => {
    requestIdOf(req, res);
    next();
  });
  app.use(app.get(MetricsService).httpMiddleware());
  // Swagger UI needs inline scripts; the API itself only ever returns JSON.
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(cookieParser());
  app.use(rejectNulInUrl);
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT, verify: verifyJsonDepth });
  app.useBodyParser('urlencoded', { limit: JSON_BODY_LIMIT, extended: false });
  app.use('/v1/credentials', keystoreJsonTooLarge);
  app.use(bodyParserErrors);
  setupOpenApi(app);
  app.enableShutdownHooks();
  await app.init();
  return app;
}

export interface RunningGateway {
  app: NestExpressApplication;
  url: string;
}

export async function bootstrapGateway(config: AppConfig): Promise<RunningGateway> {
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return { app, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
}
