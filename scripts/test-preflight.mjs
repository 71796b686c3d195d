#!/usr/bin/env node
// Runs before `npm test`: the suites drive real binaries, so say in one line, before two minutes of
// tests, which ones this machine lacks, how to install them, and how to skip their suites on purpose.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const onPath = (bin) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, bin), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
const exists = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** What the suites need: binary, Debian package, and the variable that skips its suites (none: required). */
const NEEDS = [
  { name: 'redis-server', ok: () => onPath('redis-server'), pkg: 'redis-server' },
  { name: 'redis-cli', ok: () => onPath('redis-cli'), pkg: 'redis-tools' },
  {
    name: 'nginx',
    ok: () => onPath('nginx') || exists(process.env.NGINX_BIN ?? '/usr/sbin/nginx'),
    pkg: 'nginx-light',
    skip: 'SKIP_NGINX_TESTS',
  },
  {
    name: 'chromium',
    ok: () => exists(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
    pkg: 'chromium',
    skip: 'SKIP_BROWSER_TESTS',
  },
  {
    name: 'prometheus',
    ok: () => onPath('prometheus') && onPath('promtool'),
    pkg: 'prometheus',
    skip: 'SKIP_PROMETHEUS_TESTS',
  },
];

const missing = NEEDS.filter((n) => !(n.skip && process.env[n.skip] === '1') && !n.ok());
if (missing.length) {
  const names = missing.map((n) => n.name).join(', ');
  const pkgs = missing.map((n) => n.pkg).join(' ');
  const skips = missing.filter((n) => n.skip).map((n) => `${n.skip}=1`);
  process.stderr.write(
    `npm test: missing ${names}. Install: sudo apt-get install -y ${pkgs} (or sudo .ci/install-deps)` +
      (skips.length ? `; or skip those suites: ${skips.join(' ')} npm test` : '') +
      '\n',
  );
  process.exit(1);
}
