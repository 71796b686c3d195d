// Lints an OpenAPI document with Redocly's `recommended` ruleset and prints the problems as JSON.
// A separate ESM process because @redocly/openapi-core 2 is ESM-only and Jest runs CommonJS.
// Usage: node test/openapi/redocly-lint.mjs <openapi.json>
import { readFileSync } from 'node:fs';
import { createConfig, lintFromString } from '@redocly/openapi-core';

const file = process.argv[2];
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source: readFileSync(file, 'utf8'), absoluteRef: file, config });
const out = problems.map((p) => ({
  severity: p.severity,
  ruleId: p.ruleId,
  pointer: p.location?.[0]?.pointer,
  message: p.message,
}));
process.stdout.write(JSON.stringify(out));
