import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The web module's templates and stylesheet are read from the source tree (tsc copies no assets): the folder of this
 * module, found from the compiled file by walking up to the checkout that holds `apps/gateway/src/web`.
 */
export function webSourceDir(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'gateway', 'src', 'web');
    if (existsSync(join(candidate, 'views'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`web templates not found above ${from}`);
  }
}
