import { FakeAnthropic } from '../fakes/fake-anthropic';
import { findNginx, SKIP_ENV } from '../helpers/nginx-proxy';

/**
 * The multi-replica suites need Debian's nginx (.ci/run installs it). Without it they FAIL, so a
 * machine that lost nginx cannot pass CI by silently skipping the proof that replicas share state.
 * A developer without root can opt out explicitly with SKIP_NGINX_TESTS=1: the suite is then
 * reported as skipped (never passed) and a warning names the missing binary.
 */
export function describeWithNginx(name: string, body: () => void) {
  if (process.env[SKIP_ENV] === '1') {
    console.warn(`${name}: skipped because ${SKIP_ENV}=1 (nginx ${findNginx() ? 'is' : 'is NOT'} installed)`);
    return describe.skip(name, body);
  }
  if (!findNginx()) {
    return describe(name, () => {
      it('needs nginx (apt-get install -y nginx-light); set SKIP_NGINX_TESTS=1 to skip on purpose', () => {
        throw new Error(
          `nginx not found on this machine: install it (apt-get install -y nginx-light) or set ${SKIP_ENV}=1`,
        );
      });
    });
  }
  return describe(name, body);
}

/** One fake Anthropic per replica, so a test can tell which replica called the provider. */
export async function fakePerReplica(n: number): Promise<FakeAnthropic[]> {
  return Promise.all(Array.from({ length: n }, () => FakeAnthropic.start()));
}

export const anthropicEnv = (fake: FakeAnthropic) => ({
  ANTHROPIC_API_KEY: 'test-anthropic-key',
  ANTHROPIC_BASE_URL: fake.url,
});

/** Sum of floats as money: compare in micro-dollars to stay clear of binary rounding. */
export const micro = (usd: number) => Math.round(usd * 1e6);
