import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig, buildAppConfig } from './app-config';

/** The validated configuration, and the global module that provides it to every other module. */
export interface LoadedConfig {
  config: AppConfig;
  module: DynamicModule;
}

/**
 * Validates the environment once, in @nestjs/config's validate hook (env.schema.ts through
 * buildAppConfig): a ConfigValidationError names the variable, and main.ts prints it as the one
 * start-up line. The typed config also comes back to the caller, because createApp needs it before
 * Nest starts (the HTTP edge's timeouts and proxies). `env` is explicit so tests can build several
 * applications with different settings.
 */
@Global()
@Module({})
export class AppConfigModule {
  static async load(env: Record<string, string | undefined>): Promise<LoadedConfig> {
    let config: AppConfig | undefined;
    const nestConfig = await ConfigModule.forRoot({
      ignoreEnvFile: true,
      isGlobal: true,
      validate: () => {
        config = buildAppConfig(env);
        return { ...env };
      },
    });
    if (!config) throw new Error('the configuration was not validated');
    return {
      config,
      module: {
        module: AppConfigModule,
        imports: [nestConfig],
        providers: [{ provide: AppConfig, useValue: config }],
        exports: [AppConfig],
      },
    };
  }
}
