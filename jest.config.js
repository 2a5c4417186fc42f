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

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  // StrykerJS copies the project into .stryker-tmp/ (npm run test:mutation): never tests or modules from there.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/\\.stryker-tmp/'],
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
  // `npm test` runs the files one at a time (--maxWorkers=1: the e2e suites share Postgres, Redis and the CPU) in a
  // worker that is replaced once it holds more than this after a file. In band, what each file's apps and modules
  // leave behind accumulated until the single process ran out of heap (OOM at 3.6 GB after 220 files).
  workerIdleMemoryLimit: '1GB',
};
