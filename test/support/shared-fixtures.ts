import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The read-only ../shared folder laid beside the checkout: the WSDL, schemas and official templates. The public
 * 3PT keystores are not read from here any more (test/support/public-keystores.ts), so a clone without it passes.
 */
export const SHARED_DIR = resolve(__dirname, '../../../shared');

export const sharedAvailable = existsSync(join(SHARED_DIR, 'reference'));

/** Read only inside tests or hooks of a `describeWithShared` suite: Jest runs a skipped suite's body, not its tests. */
export function sharedFile(relativePath: string): Buffer {
  return readFileSync(join(SHARED_DIR, relativePath));
}

/**
 * `describe` for suites that need ../shared: when it is absent the suite is skipped with a visible reason
 * instead of silently passing.
 */
export function describeWithShared(name: string, body: () => void): void {
  if (sharedAvailable) {
    describe(name, body);
  } else {
    describe.skip(`${name} (skipped: ${SHARED_DIR} is absent)`, body);
    // eslint-disable-next-line no-console
    console.warn(`[shared-fixtures] ${name}: skipped because ${SHARED_DIR} is absent`);
  }
}
