import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { loadConfig } from './config/app-config';
import { GatewayExpressAdapter } from './common/http/gateway-express.adapter';
import { createOpenApiDocument } from './common/openapi/openapi.setup';

/**
 * The served document, built in Nest's preview mode: modules and routes are scanned but no provider is created, so
 * no database or upstream is needed (`npm run sdk`, and the test that keeps the generated client current).
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await previewApp();
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The gateway's modules and routes without a running provider (close it after use). */
export function previewApp(): Promise<INestApplication> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'postgres://preview@127.0.0.1:1/preview' });
  return NestFactory.create(AppModule.forRoot(config), new GatewayExpressAdapter(), { preview: true, logger: false });
}
