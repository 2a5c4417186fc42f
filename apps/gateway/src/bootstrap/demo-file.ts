import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { UserRole } from '../common/request-context/principal';

export const DEFAULT_DEMO_FILE = './.data/demo.json';

export interface DemoUser {
  email: string;
  /** Null when the account predates this file (it was deleted): the password cannot be recovered. */
  password: string | null;
  role: UserRole;
  /**
   * The TOTP secret (base32) of the account's second factor, so a newcomer can add it to an authenticator app and
   * the browser tests can compute codes; null when the account predates this file.
   */
  totpSecret?: string | null;
}

/** What a developer needs to try the demo; the only place the demo passwords and API key are kept. */
export interface DemoInfo {
  baseUrl: string;
  apiKey: string;
  orgCode: string;
  users: DemoUser[];
}

/** The previous run's file, or undefined when there is none or it is unreadable (the seed then starts over). */
export function readDemoFile(path = DEFAULT_DEMO_FILE): DemoInfo | undefined {
  try {
    const parsed = JSON.parse(readFileSync(resolve(path), 'utf8')) as Partial<DemoInfo>;
    return Array.isArray(parsed.users) ? (parsed as DemoInfo) : undefined;
  } catch {
    return undefined;
  }
}

/** Written owner-only and renamed into place, so a reader never sees half a file. */
export function writeDemoFile(info: DemoInfo, path = DEFAULT_DEMO_FILE): string {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, file);
  return file;
}
