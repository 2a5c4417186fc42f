import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const API_KEY_SCHEME = 'apiKey';
export const SESSION_SCHEME = 'session';

/** Serves Swagger UI at `/docs` and the raw document at `/docs/openapi.json`. */
export function setupOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('USI Gateway')
      .setDescription(
        'Multi-tenant gateway to the USI Registry. Errors are application/problem+json with a stable `code`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key (`usi_live_…`)' }, API_KEY_SCHEME)
      .addCookieAuth('usi_session', { type: 'apiKey', in: 'cookie' }, SESSION_SCHEME)
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
}
