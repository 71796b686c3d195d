// Import rules of the architecture in docs/architecture.md §2, checked in CI (`npm run depcruise`).
/** A module's public files, what other modules may import from it: top-level module, service, port, tokens, types and metrics files, and ports one folder down. */
const PUBLIC = [
  '^src/[a-z-]+/[a-z.-]+\\.(module|service|port|tokens|types|metrics)\\.ts$',
  '^src/[a-z-]+/[a-z-]+/[a-z.-]+\\.port\\.ts$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one; break it with a port or by moving the shared piece.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'llm-sdk-only-in-providers',
      severity: 'error',
      comment: 'Only src/llm/providers/ talks to an LLM SDK; the rest of the service sees LlmService.',
      from: { path: '^src/', pathNot: '^src/llm/providers/' },
      to: { path: 'node_modules/(@anthropic-ai/sdk|openai)/' },
    },
    {
      name: 'redis-client-only-in-store',
      severity: 'error',
      comment: 'Only src/store/ holds a Redis client; everyone else uses the store ports.',
      from: { path: '^src/', pathNot: '^src/store/' },
      to: { path: 'node_modules/(redis|@redis/[^/]+|cache-manager|cache-manager-redis-yet|keyv)/' },
    },
    {
      name: 'modules-meet-through-public-files',
      severity: 'error',
      comment:
        'A module imports another only through its public files (module, service, port, tokens, types, ' +
        'metrics). common/ and config/ are the shared kernel every module may use.',
      // Unit specs may build a neighbour's real implementation (e.g. the memory store) to test against.
      from: { path: '^src/([^/]+)/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: '^src/([^/]+)/',
        pathNot: ['^src/$1/', '^src/(common|config)/', ...PUBLIC],
      },
    },
    {
      name: 'no-src-to-test',
      severity: 'error',
      comment: 'Production code never depends on tests, fakes or the benchmark.',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      // @generated/dte-ai-service: the client types test/openapi generates at test time (a stub types it).
      // @redocly/openapi-core: ESM-only, imported by an .mjs helper that tsconfig's `node` resolution cannot follow.
      to: { couldNotResolve: true, pathNot: ['^@generated/', '^@redocly/openapi-core$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|coverage)/' },
  },
};
