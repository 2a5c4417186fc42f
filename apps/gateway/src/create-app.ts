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
import { noStore } from './common/http/no-store.middleware';
import { workerOnly } from './common/http/worker-only.middleware';
import { isJsonMediaType, mediaTypeOf, RequestMediaTypes } from './common/http/request-media-type';
import { requestIdOf } from './common/request-context/request-id';
import { MetricsService } from './metrics/metrics.service';
import { jobUpload } from './jobs/job-upload.middleware';

export const JSON_BODY_LIMIT = '1mb';

const isJsonRequest = (req: { headers: Record<string, string | string[] | undefined> }): boolean =>
  isJsonMediaType(mediaTypeOf(req.headers['content-type'] as string | undefined));

/** Builds and initialises the gateway without listening: main.ts, the demo bootstrap and the e2e tests share it. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), new GatewayExpressAdapter(), {
    bufferLogs: true,
    // A provider failing while the app is built (the audit keyring's start-up read, a refused database role) must reach
    // the caller as a rejection with its code, as a failing init does, not end the process from inside Nest.
    abortOnError: false,
    // Only the JSON parser below: Nest's defaults would add a urlencoded one, and no route reads forms.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // Whose X-Forwarded-For sets `req.ip` (per-address limits, audit): nobody's unless TRUST_PROXY names the proxies.
  app.set('trust proxy', config.trustProxy);
  app.use((req: Parameters<typeof requestIdOf>[0], res: Parameters<typeof requestIdOf>[1], next: () => void) => {
    requestIdOf(req, res);
    next();
  });
  app.use(noStore);
  if (config.role === 'worker') app.use(workerOnly);
  app.use(app.get(MetricsService).httpMiddleware());
  // Swagger UI needs inline scripts; the API itself only ever returns JSON.
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(cookieParser());
  app.use(rejectNulInUrl);
  // Before the parser: a body the route does not document is refused as 415 instead of being skipped unread.
  const mediaTypes = new RequestMediaTypes();
  app.use(mediaTypes.middleware);
  app.use(jobUpload);
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT, verify: verifyJsonDepth, type: isJsonRequest });
  app.use('/v1', keystoreJsonTooLarge);
  app.use(bodyParserErrors);
  // A worker serves health and metrics only (`workerOnly`): no API document to build and keep in memory.
  if (config.role !== 'worker') mediaTypes.learn(setupOpenApi(app));
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
