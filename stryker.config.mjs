// StrykerJS, one defence module per run (test/mutation/modules.mjs). Run it through `npm run test:mutation [module…]`
// (scripts/mutation-test.mjs), which sets MUTATION_MODULE; never part of `npm test` (it takes minutes per module).
import { MUTATION_MODULES } from './test/mutation/modules.mjs';

const name = process.env.MUTATION_MODULE ?? '';
const mod = MUTATION_MODULES[name];
if (!mod) {
  throw new Error(`MUTATION_MODULE must be one of: ${Object.keys(MUTATION_MODULES).join(', ')} (got "${name}")`);
}
const out = `reports/mutation/${name}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // Only this module's specs; findRelatedTests narrows each mutant's run to the specs that import its file.
    config: { testMatch: mod.tests.map((glob) => `<rootDir>/${glob}`) },
    enableFindRelatedTests: true,
  },
  mutate: mod.mutate,
  // Per-test coverage: a mutant runs only the tests that executed it in the dry run.
  coverageAnalysis: 'perTest',
  ignoreStatic: mod.ignoreStatic ?? false,
  // Two shared vCPUs; the Postgres-backed suites boot a whole gateway per run, so they go one at a time.
  concurrency: mod.concurrency ?? 1,
  timeoutMS: 10_000,
  // The sandbox copy needs sources, tests and migrations, not build output or local data.
  ignorePatterns: ['dist', '.data', 'coverage', 'test-results', 'bench/out', 'reports', '.stryker-tmp'],
  // Re-runs only mutants whose code or covering tests changed. A static mutant (a module-level constant) keeps its old
  // result when tests change, so after adding tests run with `-- --force` for the real score.
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${out}/index.html` },
  jsonReporter: { fileName: `${out}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
