import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AppConfig, ConfigValidationError } from './config/app-config';
import { installGracefulShutdown } from './shutdown';

async function main() {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const started = performance.now();
  const app = await createApp(process.env);
  const config = app.get(AppConfig);
  installGracefulShutdown(app, config.shutdownGraceMs);
  await app.listen({ port: config.port, host: '0.0.0.0' });
  const logger = new Logger('Bootstrap');
  logger.log({
    event: 'service_started',
    port: config.port,
    node_env: config.nodeEnv,
    store: config.redis ? 'redis' : 'memory',
    startup_ms: Math.round(performance.now() - started),
    msg: 'Application startup complete.',
  });
  if (config.apiKeyGenerated) {
    // Printed once, on stdout, so a newcomer can call the API; never logged again.
    process.stdout.write(
      `\nNo AI_SERVICE_API_KEY set: generated one for this run only:\n  AI_SERVICE_API_KEY=${config.apiKeys[0]}\n\n`,
    );
  }
}

main().catch((e: unknown) => {
  // A configuration error is one line naming the variable (never its value), as written by buildAppConfig.
  const line =
    e instanceof ConfigValidationError
      ? e.message
      : `Fatal start-up error: ${e instanceof Error ? e.message : String(e)}`;
  process.stderr.write(`${line}\n`);
  process.exit(1);
});
