import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { twoWayFolders } = require('../../scripts/check-module-graph.js') as { twoWayFolders: (root: string) => [string, string][] };

describe('module graph (npm run lint)', () => {
  it('finds no feature folder of the gateway importing another that imports it back', () => {
    expect(twoWayFolders(join(__dirname, '..', '..', 'apps', 'gateway', 'src'))).toEqual([]);
  });

  it('names both folders of a two-way import, and ignores one-way ones and specs', () => {
    const root = mkdtempSync(join(tmpdir(), 'graph-'));
    try {
      const file = (path: string, text: string) => {
        mkdirSync(join(root, path, '..'), { recursive: true });
        writeFileSync(join(root, path), text);
      };
      file('audit/audit.service.ts', "import { A } from '../auth/guard';\n");
      file('auth/guard.ts', "import { B } from '../audit/audit.service';\n");
      file('usi/usi.service.ts', "import { C } from '../common/x';\n");
      file('common/x.ts', "export const C = 1;\n");
      file('common/x.spec.ts', "import { D } from '../usi/usi.service';\n");
      expect(twoWayFolders(root)).toEqual([['audit', 'auth']]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
