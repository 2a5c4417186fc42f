import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files the simulator keeps between runs (its CA and service key), so credentials it issued and tokens it
 * encrypted stay valid after a restart. Written owner-only: they hold private keys.
 */
export class StateDir {
  constructor(readonly path: string) {}

  /** Reads `name`, or creates it with `create()` the first time. */
  loadOrCreate(name: string, create: () => string): string {
    const file = join(this.path, name);
    if (existsSync(file)) return readFileSync(file, 'utf8');
    mkdirSync(this.path, { recursive: true, mode: 0o700 });
    const content = create();
    writeFileSync(file, content, { mode: 0o600 });
    return content;
  }
}
