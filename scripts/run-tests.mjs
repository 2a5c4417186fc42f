#!/usr/bin/env node
// The jest part of `npm test`. Without arguments: the files that can share the machine two at a time, then the ones
// that must run alone (jest.config.js, RUN_ALONE) one at a time; the run fails if either group fails. With arguments
// (`npm test -- <file or jest option>…`): one jest run with them, one file at a time.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const args = process.argv.slice(2);

function run(group, workers, extra = []) {
  const env = { ...process.env };
  if (group) env.JEST_GROUP = group;
  else delete env.JEST_GROUP;
  const { status, signal } = spawnSync(process.execPath, [jest, `--maxWorkers=${workers}`, ...extra], { stdio: 'inherit', env });
  return signal ? 1 : (status ?? 1);
}

if (args.length) process.exit(run(undefined, 1, args));
const shared = run('shared', 2);
const alone = run('alone', 1);
process.exit(shared || alone);
