/** One Jest config for the whole monorepo: unit specs sit next to the code, integration and e2e specs under test/. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

/**
 * Suites that run alone (`npm test` runs them after the others, one at a time): they restart or starve real
 * components (chaos), count database work or time an outage window (perf, chaos), so a neighbour's load on the shared
 * 2-vCPU machine would change what they measure. Everything else is isolated per file (its own database, queue and
 * key prefixes, ports) and runs two at a time: most of their wall time is waiting (processes starting, leases), not CPU.
 */
const RUN_ALONE = ['<rootDir>/test/gateway/chaos/', '<rootDir>/test/gateway/perf/'];
/** `JEST_GROUP=shared|alone` (set by `npm test`) selects one group; unset, jest runs every file. */
const group = process.env.JEST_GROUP;
const ignored = ['/node_modules/', '<rootDir>/\\.stryker-tmp/'];

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: group === 'alone' ? RUN_ALONE.map((dir) => `${dir}**/*.spec.ts`) : ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  // StrykerJS copies the project into .stryker-tmp/ (npm run test:mutation): never tests or modules from there.
  testPathIgnorePatterns: group === 'shared' ? [...ignored, ...RUN_ALONE] : ignored,
  modulePathIgnorePatterns: ['<rootDir>/\\.stryker-tmp/'],
  moduleNameMapper: {
    '^@usi/contract$': '<rootDir>/libs/usi-contract/src',
    '^@usi/keystore$': '<rootDir>/libs/m2m-keystore/src',
    '^@usi/ws-security$': '<rootDir>/libs/ws-security/src',
    '^@usi/client$': '<rootDir>/libs/usi-client/src',
    '^@usi/gateway-client$': '<rootDir>/libs/gateway-client/src',
    '^@usi/sim$': '<rootDir>/apps/usi-sim/src',
    // Tests only (never built into dist/): the gateway's files without ../../../ chains.
    '^@gateway/(.*)$': '<rootDir>/apps/gateway/src/$1',
  },
  // Every e2e response is checked against the OpenAPI document; a mismatch fails the test that received it.
  setupFilesAfterEnv: ['<rootDir>/test/support/openapi-contract.setup.ts'],
  testTimeout: 30000,
  // Each jest worker is replaced once it holds more than this after a file. In band, what each file's apps and modules
  // leave behind accumulated until the single process ran out of heap (OOM at 3.6 GB after 220 files).
  workerIdleMemoryLimit: '1GB',
};
