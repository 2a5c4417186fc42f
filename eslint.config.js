// ESLint: a small rule set whose job is the dependency rules of docs/ARCHITECTURE.md, plus a few correctness rules
// tsc does not cover. Formatting is not linted. Folder-level cycles are checked by scripts/check-module-graph.js.
const tseslint = require('typescript-eslint');

const LIB_DEEP_IMPORTS = ['**/usi-contract/src/**', '**/ws-security/src/**', '**/usi-client/src/**', '**/m2m-keystore/src/**', '**/gateway-client/src/**'];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', '.data/**', '.stryker-tmp/**', 'reports/**', 'libs/gateway-client/src/generated/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      eqeqeq: ['error', 'smart'],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-debugger': 'error',
      'no-fallthrough': 'error',
      'no-self-compare': 'error',
      'no-template-curly-in-string': 'error',
      'no-unsafe-finally': 'error',
    },
  },
  {
    // libs/ are framework-free and know nothing of the apps; another lib only through its package entry (@usi/…).
    files: ['libs/**/*.ts'],
    // Specs may reach a sibling lib's test helpers (src/testing), which no entry exports.
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'pg', 'pg-*', 'express', 'ioredis'], message: 'libs/ must not depend on Nest, the database or HTTP frameworks' },
            { group: ['**/apps/**', '@usi/sim'], message: 'libs/ must not import apps/' },
            { group: LIB_DEEP_IMPORTS, message: 'import another lib through its entry (@usi/contract, @usi/ws-security, …), not its files' },
          ],
        },
      ],
    },
  },
  {
    // The gateway reaches the simulator only through its entry, and only to start it in-process (bootstrap/).
    files: ['apps/gateway/src/**/*.ts'],
    ignores: ['apps/gateway/src/bootstrap/**', '**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@usi/sim', '**/usi-sim/**'], message: 'only apps/gateway/src/bootstrap may start the simulator' },
            { group: LIB_DEEP_IMPORTS, message: 'import a lib through its entry (@usi/…), not its files' },
          ],
        },
      ],
      // Measured: a global interceptor keeps every request reachable past a scavenge (test/gateway/perf/request-retention).
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='useGlobalInterceptors']", message: 'no global interceptor on the request path: see request-retention' },
        { selector: "Identifier[name='APP_INTERCEPTOR']", message: 'no global interceptor on the request path: see request-retention' },
        { selector: "Identifier[name='ClsModule']", message: 'the request context is opened by RequestScopeMiddleware, not nestjs-cls middleware (request-retention)' },
      ],
    },
  },
  {
    // The CLI uses the libs as any other consumer would: through their entries (@usi/client, @usi/gateway-client, …).
    files: ['apps/usi-cli/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...LIB_DEEP_IMPORTS, '**/libs/**'], message: 'import a lib through its entry (@usi/…), not its files' }] }],
    },
  },
  {
    files: ['apps/gateway/src/bootstrap/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/usi-sim/**'], message: 'start the simulator through @usi/sim' }] }],
    },
  },
);
