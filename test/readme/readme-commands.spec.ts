import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Every command of the README's ```bash blocks, continuation lines joined and trailing comments dropped. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.replace(/\s{2,}#\s.*$/, '').trim())
      .filter((line) => line && !line.startsWith('#')),
  );
}

/** The two top commands and the scripts CI runs anyway; running them here would run the suite inside itself. */
const COVERED_ELSEWHERE = /^(npm ci|npm start|npm test|npm run (reset|bench)|bash scripts\/)/;
/** Commands that talk to the running demo: they must find it through .data/demo.json, never a hard-coded port. */
const NEEDS_DEMO = /\$URL|\$KEY|demo\.json|curl /;

function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on ${port} after ${ms} ms`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

describe('README commands', () => {
  const commands = readmeCommands();
  const background: ChildProcess[] = [];

  afterAll(() => {
    for (const child of background) if (child.pid) process.kill(-child.pid, 'SIGTERM');
  });

  it('opens with the two commands that run the product and pass the tests', () => {
    expect(commands.slice(0, 2)).toEqual(['npm ci && npm start', 'npm ci && npm test']);
  });

  it('says on its first screen where the web app is and how to sign in to the demo (issue 15)', () => {
    const firstScreen = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').slice(0, 24).join('\n');
    expect(firstScreen).toMatch(/\*\*The web app\*\* is at/);
    expect(firstScreen).toContain('.data/demo.json');
    expect(firstScreen).toMatch(/Sign in/);
    expect(firstScreen).toMatch(/TOTP secret/);
  });

  it('never hard-codes the gateway port: the demo moves to the next free one', () => {
    const demo = commands.filter((c) => NEEDS_DEMO.test(c));
    expect(demo.length).toBeGreaterThan(0);
    for (const command of demo) expect(command).not.toMatch(/:3000\b/);
    expect(demo[0]).toContain("require('./.data/demo.json').baseUrl");
  });

  it('runs every other command as written, and each exits 0', async () => {
    const runnable = commands.filter((c) => !COVERED_ELSEWHERE.test(c) && !NEEDS_DEMO.test(c));
    expect(runnable.some((c) => c.includes(' verify '))).toBe(true);
    for (const command of runnable) {
      if (command.endsWith('&')) {
        const child = spawn('bash', ['-c', command.slice(0, -1)], { cwd: ROOT, detached: true, stdio: 'ignore' });
        background.push(child);
        const port = /--port (\d+)/.exec(command)?.[1];
        if (port) await waitForPort(Number(port), 30_000);
        continue;
      }
      const run = spawnSync('bash', ['-c', command], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect({ command, status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ command, status: 0, stderr: '' });
    }
  }, 180_000);
});
