import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../package.json') as { version: string };

/** Swagger UI on /docs and the OpenAPI document on /docs-json. */
export function setupSwagger(app: INestApplication) {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('DTE AI Service')
      .setDescription(
        'Asistente de IA para Odoo 19 con localización chilena (l10n_cl_dte): chat, base de conocimiento, ' +
          'pre-validación de DTE, costos de LLM y monitoreo del SII. Todas las rutas bajo /api y /metrics/costs ' +
          'requieren `Authorization: Bearer <AI_SERVICE_API_KEY>`. Los errores responden ' +
          '`{statusCode, error, message, detail}`; `detail` es la frase que Odoo muestra al usuario.',
      )
      .setVersion(version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'AI_SERVICE_API_KEY' })
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
