import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from './config/app-config';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version, license } = require('../package.json') as { version: string; license: string };

/**
 * Schemas that are open objects: Odoo adds keys of its own and none may be refused (docs/api.md, "Limits").
 * @nestjs/swagger has no class-level `additionalProperties`, so it is set here; generated clients
 * then type them with an index signature instead of rejecting the extra keys.
 */
const OPEN_SCHEMAS = ['DteDataDto'];

/** The OpenAPI document of the running application (also served on /docs-json). */
function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = app.get(AppConfig);
  const builder = new DocumentBuilder()
    .setTitle('DTE AI Service')
    .setDescription(
      'Asistente de IA para Odoo 19 con localización chilena (l10n_cl_dte): chat, base de conocimiento, ' +
        'pre-validación de DTE, costos de LLM y monitoreo del SII. Todas las rutas bajo /api y /metrics/costs ' +
        'requieren `Authorization: Bearer <AI_SERVICE_API_KEY>`. Los errores responden ' +
        '`{statusCode, error, message, detail}`; `detail` es la frase que Odoo muestra al usuario.',
    )
    .setVersion(version)
    .setLicense(license, `https://spdx.org/licenses/${license}.html`)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'AI_SERVICE_API_KEY' })
    .addSecurityRequirements('bearer');
  // The configured address first (what integrators and generated clients use); "/" is this same
  // origin, so Swagger UI's "Try it out" works wherever /docs was opened from.
  if (config.openApiServerUrl) builder.addServer(config.openApiServerUrl, 'OPENAPI_SERVER_URL');
  builder.addServer('/', 'La misma dirección desde la que se abrió esta documentación');
  const document = SwaggerModule.createDocument(app, builder.build());
  for (const name of OPEN_SCHEMAS) {
    const schema = document.components?.schemas?.[name];
    if (schema && !('$ref' in schema)) schema.additionalProperties = true;
  }
  return document;
}

/** Swagger UI on /docs and the OpenAPI document on /docs-json. */
export function setupSwagger(app: INestApplication) {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
