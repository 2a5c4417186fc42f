#!/usr/bin/env node
// `npm run test:mutation [module…] [-- stryker options]`: runs StrykerJS on each defence module in turn (all of
// test/mutation/modules.mjs by default) and prints one line per module: score, killed, survived, no coverage, time.
// Options after the module names go to Stryker unchanged (e.g. `--mutate <glob>` to narrow a run).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { MUTATION_MODULES } from '../test/mutation/modules.mjs';

const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('-'));
const names = firstOption === -1 ? args : args.slice(0, firstOption);
const strykerArgs = firstOption === -1 ? [] : args.slice(firstOption);
const unknown = names.filter((n) => !MUTATION_MODULES[n]);
if (unknown.length) {
  console.error(`unknown module(s): ${unknown.join(', ')}; known: ${Object.keys(MUTATION_MODULES).join(', ')}`);
  process.exit(2);
}

const lines = [];
let failed = false;
for (const name of names.length ? names : Object.keys(MUTATION_MODULES)) {
  const started = Date.now();
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', ...strykerArgs], {
    stdio: 'inherit',
    env: { ...process.env, MUTATION_MODULE: name },
  });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  if (run.status !== 0) {
    failed = true;
    lines.push(`${name}: stryker exited with ${run.status} after ${minutes} min`);
    continue;
  }
  lines.push(`${name}: ${summarise(`reports/mutation/${name}/mutation.json`)}, ${minutes} min`);
}
console.log(`\nMutation testing\n${lines.join('\n')}`);
process.exit(failed ? 1 : 0);

/** Counts from Stryker's JSON report (mutation-testing-report-schema). */
function summarise(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const count = {};
  for (const f of Object.values(report.files)) for (const m of f.mutants) count[m.status] = (count[m.status] ?? 0) + 1;
  const n = (s) => count[s] ?? 0;
  const detected = n('Killed') + n('Timeout');
  const valid = detected + n('Survived') + n('NoCoverage');
  const score = valid ? ((100 * detected) / valid).toFixed(2) : 'n/a';
  return `score ${score}% (killed ${n('Killed')}, timeout ${n('Timeout')}, survived ${n('Survived')}, no coverage ${n('NoCoverage')}, ignored ${n('Ignored')}, errors ${n('CompileError') + n('RuntimeError')})`;
}
