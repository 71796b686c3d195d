import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig, buildAppConfig } from './app-config';

/**
 * Validates the environment once (through @nestjs/config's validate hook) and exposes the typed
 * AppConfig. `env` is explicit so tests can build several apps with different settings.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(env: Record<string, string | undefined>): DynamicModule {
    let config: AppConfig | undefined;
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          isGlobal: true,
          validate: () => {
            config = buildAppConfig(env);
            return { ...env };
          },
        }),
      ],
      providers: [{ provide: AppConfig, useFactory: () => config ?? buildAppConfig(env) }],
      exports: [AppConfig],
    };
  }
}
