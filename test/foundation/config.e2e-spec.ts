import * as appConfig from '../../src/config/app-config';
import { createApp } from '../../src/app.factory';
import { startApp } from '../helpers/test-app';

/** The environment is validated once per application (main.ts and the module no longer both do it). */
describe('configuration at start-up', () => {
  afterEach(() => jest.restoreAllMocks());

  it('validates the environment once per application', async () => {
    const build = jest.spyOn(appConfig, 'buildAppConfig');
    const svc = await startApp();
    try {
      expect(build).toHaveBeenCalledTimes(1);
      expect(svc.app.get(appConfig.AppConfig)).toBe(build.mock.results[0].value);
    } finally {
      await svc.close();
    }
  });

  it('refuses to build the application with an error naming the variable', async () => {
    const failure = createApp({ LOG_LEVEL: 'silent', CHAT_DEFAULT_TEMPERATURE: '5' });
    await expect(failure).rejects.toBeInstanceOf(appConfig.ConfigValidationError);
    await expect(failure).rejects.toMatchObject({ variable: 'CHAT_DEFAULT_TEMPERATURE' });
  });
});
