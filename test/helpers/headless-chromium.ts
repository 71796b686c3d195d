import { existsSync } from 'node:fs';
import { Browser, chromium, ConsoleMessage, Page } from 'playwright-core';

/** Debian's chromium (apt-get install -y chromium); never a browser download. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Env var that lets a machine without Chromium skip the browser suite on purpose. */
export const SKIP_BROWSER_ENV = 'SKIP_BROWSER_TESTS';

export const hasChromium = () => existsSync(CHROMIUM_PATH);

/**
 * Flags for a sandbox with no network but loopback: without the background-networking ones Chromium
 * keeps dialling Google's hosts. `--no-sandbox` because tests run as root in a container.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Launches Debian's Chromium through playwright-core. `chromium.launch` gives every launch a fresh,
 * empty `--user-data-dir` (a mkdtemp `playwright_chromiumdev_profile-*`, removed on close; Playwright
 * refuses a `--user-data-dir` in `args`), so no cookie or stored authorization leaks between runs.
 * `extraArgs` e.g. `--host-resolver-rules=MAP name 127.0.0.1` to reach loopback under another name.
 */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!hasChromium())
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set ${SKIP_BROWSER_ENV}=1)`,
    );
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    timeout: 60_000,
  });
}

/** Everything a page complained about: console errors/warnings, uncaught errors, failed requests. */
export class PageProblems {
  readonly console: string[] = [];
  readonly errors: string[] = [];
  readonly failedRequests: string[] = [];

  constructor(page: Page) {
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error' || m.type() === 'warning') this.console.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.errors.push(e.message));
    page.on('requestfailed', (r) => this.failedRequests.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
  }

  /** Console lines that come from a Content Security Policy refusal. */
  csp(): string[] {
    return this.console.filter((l) =>
      /Content Security Policy|Content-Security-Policy|violates the following/i.test(l),
    );
  }
}
