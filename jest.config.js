// Two projects: unit specs beside the code, e2e specs in test/ (real Redis, fake LLM servers over HTTP).
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  // Transpile-only (type checking is `npm run build` / `npm run typecheck`), so suites start fast.
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: require('path').join(__dirname, 'tsconfig.jest.json'), diagnostics: false }],
  },
  testEnvironment: 'node',
  // @fastify/static 10 (what the service runs; Node loads its ESM-only deps) cannot be loaded by
  // Jest's CommonJS runtime, so under Jest only, Swagger UI is served by the CommonJS 8.x line.
  moduleNameMapper: { '^@fastify/static$': 'fastify-static-cjs' },
};
module.exports = {
  maxWorkers: 2,
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', rootDir: 'src', testRegex: '.*\\.spec\\.ts$' },
    { ...common, displayName: 'e2e', rootDir: 'test', testRegex: '.*\\.e2e-spec\\.ts$' },
  ],
};
