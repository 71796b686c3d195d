/**
 * Stand-in for the types openapi-typescript generates from /docs-json, so the repository's own
 * type check (tsc -p tsconfig.json) accepts odoo-calls.ts. The e2e test does not load this file:
 * it maps `@generated/dte-ai-service` to the freshly generated types and type-checks strictly.
 */
declare module '@generated/dte-ai-service' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export type paths = any;
}
