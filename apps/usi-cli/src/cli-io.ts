import type { HttpTransport } from '@usi/client';
import type { ProbeResult } from './doctor/reachability';

/** Everything the CLI touches outside itself, so commands run in-process under test. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  readFile(path: string): Promise<string>;
  /** Defaults to a fresh keep-alive undici pool. */
  transport?: HttpTransport;
  clock?: () => Date;
  /** `doctor`'s reachability check (DNS/TLS or TCP); defaults to the real network. */
  probe?: (url: string) => Promise<ProbeResult>;
}
