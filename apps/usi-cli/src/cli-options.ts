import { parseArgs } from 'node:util';
import { DEFAULT_SERVICE_VERSION, findServiceVersion, SERVICE_VERSIONS, type UsiServiceVersion } from '@usi/contract';
import { UsageError } from './usage-error';

const STRING_OPTIONS = [
  'env',
  'sim-url',
  'sts-url',
  'usi-url',
  'applies-to',
  'service-version',
  'keystore',
  'alias',
  'password',
  'org',
  'act-as-abn',
  'ssid',
  'timeout-ms',
  'usi',
  'first-name',
  'family-name',
  'single-name',
  'dob',
  'file',
  'url',
  'key',
] as const;

export type CliOptionName = (typeof STRING_OPTIONS)[number];
export type CliOptions = Partial<Record<CliOptionName, string>> & { help?: boolean };

export interface ParsedCommandLine {
  positionals: string[];
  options: CliOptions;
}

export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const spec = Object.fromEntries(STRING_OPTIONS.map((name) => [name, { type: 'string' as const }]));
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...spec, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { positionals, options: values as CliOptions };
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

export function requireOption(options: CliOptions, name: CliOptionName): string {
  const value = options[name];
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function positiveInt(options: CliOptions, name: CliOptionName): number | undefined {
  const raw = options[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

/** `--service-version` (default v5): the USI web-service version to speak. */
export function serviceVersionOf(options: CliOptions): UsiServiceVersion {
  const id = options['service-version'] ?? DEFAULT_SERVICE_VERSION.id;
  const version = findServiceVersion(id);
  if (!version) throw new UsageError(`--service-version must be one of ${SERVICE_VERSIONS.map((v) => v.id).join(', ')} (got ${id})`);
  return version;
}
