import { readFile } from 'node:fs/promises';
import { runCli } from '../../../apps/usi-cli/src/cli';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The `usi` CLI in-process, with captured output and an optional shared clock. */
export async function runUsi(argv: string[], opts: { clock?: () => Date; env?: Record<string, string> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: opts.env ?? {},
    readFile: (path) => readFile(path, 'utf8'),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  return { code, stdout, stderr };
}
