import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AnchorReading, assertChainId, AuditAnchorStore, parseCheckpoint, SignedCheckpoint } from './audit-anchor.store';

/**
 * Checkpoints in local files, one JSON line per checkpoint and one file per chain (`<dir>/org_<id>.jsonl`), only
 * ever appended to (`O_APPEND`; nothing here rewrites or truncates). The embedded default: the directory sits in the
 * gateway's data folder, which a database superuser does not reach. Each read checks every line's signature and that
 * sequences never go back, and reports any line that fails; the latest valid line is the chain's checkpoint.
 */
export class FileAuditAnchorStore implements AuditAnchorStore {
  private readonly dir: string;

  constructor(
    dir: string,
    private readonly verify: (checkpoint: SignedCheckpoint) => boolean,
  ) {
    this.dir = resolve(dir);
  }

  async append(checkpoints: readonly SignedCheckpoint[]): Promise<void> {
    if (!checkpoints.length) return;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const byChain = new Map<string, string>();
    for (const c of checkpoints) byChain.set(c.chainId, `${byChain.get(c.chainId) ?? ''}${JSON.stringify(c)}\n`);
    // Stryker disable next-line StringLiteral: appendFile's default flag is 'a' as well; kept explicit.
    for (const [chainId, lines] of byChain) await appendFile(this.file(chainId), lines, { flag: 'a', mode: 0o600 });
  }

  async latest(chainId: string): Promise<AnchorReading> {
    let text: string;
    try {
      text = await readFile(this.file(chainId), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { problems: [] };
      throw err;
    }
    const problems: string[] = [];
    let checkpoint: SignedCheckpoint | undefined;
    text.split('\n').forEach((line, i) => {
      if (!line) return;
      const entry = parseCheckpoint(line);
      if (!entry || entry.chainId !== chainId || !this.verify(entry)) {
        problems.push(`${chainId} line ${i + 1}: signature does not verify`);
      } else if (checkpoint && entry.seq < checkpoint.seq) {
        problems.push(`${chainId} line ${i + 1}: sequence ${entry.seq} after ${checkpoint.seq}`);
      } else {
        checkpoint = entry;
      }
    });
    return { checkpoint, problems };
  }

  private file(chainId: string): string {
    return join(this.dir, `${assertChainId(chainId).replace(':', '_')}.jsonl`);
  }
}
