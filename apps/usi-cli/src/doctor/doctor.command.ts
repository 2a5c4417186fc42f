import { UsiError } from '@usi/contract';
import {
  ActAs,
  classifyUpstreamError,
  ClockOffsetSample,
  Endpoints,
  isUsiEnvironment,
  resolveEndpoints,
  UsiClient,
  type MachineCredential,
} from '@usi/client';
import { loadCredential } from '@usi/keystore';
import { CliIo } from '../cli-io';
import { CliOptions, positiveInt, serviceVersionOf } from '../cli-options';
import { readInputFile } from '../input-file';
import { UsageError } from '../usage-error';
import { probeEndpoint, ProbeResult } from './reachability';

export type StepStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface StepResult {
  step: string;
  status: StepStatus;
  detail: string;
  /** For a failure the upstream error table explains: its code and the first thing to do. */
  hint?: string;
}

/** Same thresholds as the gateway: a warning beyond 30 s, refused timestamps from about 5 min. */
const CLOCK_WARN_MS = 30_000;
const CLOCK_FAIL_MS = 4 * 60_000;
const CREDENTIAL_WARN_DAYS = 30;
const DEFAULT_PROBE_TIMEOUT_MS = 5_000;
const DEFAULT_CALL_TIMEOUT_MS = 15_000;

/**
 * The public 3PT test identities (usi-contract.md §6), which the simulator mirrors: when the credential is one of them
 * and neither --org nor --act-as-abn is given, GetCountries is asked for their organisation.
 */
const TEST_ORGANISATIONS: Record<string, { org: string; actAs?: { secondPartyAbn: string; ssid: string } }> = {
  '27809366375': { org: 'VA1803' },
  '11000002568': { org: 'VA1802', actAs: { secondPartyAbn: '96312011219', ssid: '0000123400' } },
};

const LABEL: Record<StepStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };

/**
 * `usi doctor`: checks, one line each, what a USI call needs: the keystore (password, expiry), DNS/TLS (or TCP for a
 * plain-HTTP simulator) reachability of the STS and the USI service, one token request, the clock offset the STS
 * answer showed, and one GetCountries call. Read-only upstream (a token and the country list), so safe against 3PT.
 * Returns the exit code: 0 only when every step passes (warnings pass).
 */
export async function doctorCommand(options: CliOptions, io: CliIo): Promise<number> {
  const env = options.env ?? 'sim';
  if (!isUsiEnvironment(env)) throw new UsageError(`--env must be sim, 3pt or production (got ${env})`);
  if (!options.keystore) throw new UsageError('--keystore is required');
  const version = serviceVersionOf(options);
  const endpoints = resolveEndpoints(
    env,
    { simUrl: options['sim-url'], stsUrl: options['sts-url'], usiUrl: options['usi-url'], appliesTo: options['applies-to'] },
    version,
  );
  const timeoutMs = positiveInt(options, 'timeout-ms');
  const clock = io.clock ?? (() => new Date());
  const results: StepResult[] = [];
  const report = (r: StepResult) => {
    results.push(r);
    io.stdout(`${LABEL[r.status]}  ${r.step.padEnd(9)} ${r.detail}\n${r.hint ? `      ${''.padEnd(9)} → ${r.hint}\n` : ''}`);
    return r;
  };

  io.stdout(`usi doctor: ${env}, web service ${version.id} (STS ${endpoints.stsUrl}, USI ${endpoints.usiUrl}); read-only calls only\n`);
  const credential = await keystoreStep(options, io, clock, report);
  const probe = io.probe ?? ((url: string) => probeEndpoint(url, { timeoutMs: timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS }));
  const sts = report(reachability('sts', endpoints.stsUrl, await probe(endpoints.stsUrl)));
  const usi = report(reachability('usi', endpoints.usiUrl, await probe(endpoints.usiUrl)));

  const samples: ClockOffsetSample[] = [];
  const client = new UsiClient({
    endpoints,
    transport: io.transport,
    clock,
    timeoutMs: timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    version,
    onClockOffset: (s) => samples.push(s),
  });
  try {
    const target = credential ? targetOf(options, env, credential) : undefined;
    let token: StepResult;
    if (!credential) token = report({ step: 'token', status: 'skip', detail: 'no usable credential' });
    else if (sts.status === 'fail') token = report({ step: 'token', status: 'skip', detail: 'the STS is not reachable' });
    else token = report(await tokenStep(client, endpoints, credential, target?.actAs));
    report(clockStep(samples, token));
    if (token.status !== 'pass') report({ step: 'countries', status: 'skip', detail: 'no token' });
    else if (usi.status === 'fail') report({ step: 'countries', status: 'skip', detail: 'the USI service is not reachable' });
    else if (!target?.org) {
      report({ step: 'countries', status: 'fail', detail: 'no organisation to ask for: give --org ORGCODE (and --act-as-abn/--ssid for cloud software)' });
    } else report(await countriesStep(client, credential!, target.org, target.actAs));
  } finally {
    await client.close();
  }

  const failed = results.filter((r) => r.status === 'fail').map((r) => r.step);
  const skipped = results.filter((r) => r.status === 'skip').map((r) => r.step);
  if (failed.length === 0 && skipped.length === 0) {
    io.stdout(`usi doctor: all ${results.length} checks passed\n`);
    return 0;
  }
  io.stdout(`usi doctor: failed: ${failed.join(', ') || 'none'}${skipped.length ? `; not run: ${skipped.join(', ')}` : ''}\n`);
  return 1;
}

async function keystoreStep(
  options: CliOptions,
  io: CliIo,
  clock: () => Date,
  report: (r: StepResult) => StepResult,
): Promise<MachineCredential | undefined> {
  const password = options.password ?? io.env.USI_KEYSTORE_PASSWORD;
  try {
    const xml = await readInputFile(io, options.keystore!, 'keystore');
    if (!password) {
      report({ step: 'keystore', status: 'fail', detail: 'no --password (or USI_KEYSTORE_PASSWORD): the private key cannot be unlocked' });
      return undefined;
    }
    const credential = loadCredential(xml, { alias: options.alias, password, now: clock() });
    const days = Math.floor((credential.notAfter.getTime() - clock().getTime()) / 86_400_000);
    const detail = `${credential.id}: password accepted, valid until ${credential.notAfter.toISOString().slice(0, 10)} (${days} days left)`;
    report({
      step: 'keystore',
      status: days < CREDENTIAL_WARN_DAYS ? 'warn' : 'pass',
      detail: days < CREDENTIAL_WARN_DAYS ? `${detail}: renew it in RAM soon` : detail,
    });
    return credential;
  } catch (err) {
    report({ step: 'keystore', status: 'fail', detail: err instanceof UsiError ? `${err.code}: ${err.message}` : String(err) });
    return undefined;
  }
}

function reachability(step: string, url: string, result: ProbeResult): StepResult {
  return { step, status: result.ok ? 'pass' : 'fail', detail: result.ok ? result.detail : `${url} not reachable: ${result.detail}` };
}

function targetOf(options: CliOptions, env: string, credential: MachineCredential): { org?: string; actAs?: ActAs } {
  const secondPartyAbn = options['act-as-abn'];
  if (secondPartyAbn !== undefined) {
    if (!options.ssid) throw new UsageError('--ssid is required with --act-as-abn');
    return { org: options.org, actAs: { firstPartyAbn: credential.abn, secondPartyAbn, ssid: options.ssid } };
  }
  if (options.org) return { org: options.org };
  const known = env === 'production' ? undefined : TEST_ORGANISATIONS[credential.abn];
  if (!known) return {};
  return { org: known.org, ...(known.actAs ? { actAs: { firstPartyAbn: credential.abn, ...known.actAs } } : {}) };
}

async function tokenStep(client: UsiClient, endpoints: Endpoints, credential: MachineCredential, actAs?: ActAs): Promise<StepResult> {
  try {
    const { token } = await client.acquireToken({ credential, actAs });
    const as = actAs ? ` acting for ABN ${actAs.secondPartyAbn}` : '';
    return { step: 'token', status: 'pass', detail: `issued for ${endpoints.appliesTo}${as}, valid until ${token.expires.toISOString()}` };
  } catch (err) {
    return failure('token', err);
  }
}

async function countriesStep(client: UsiClient, credential: MachineCredential, org: string, actAs?: ActAs): Promise<StepResult> {
  try {
    const { countries } = await client.getCountries({ credential, actAs }, { orgCode: org });
    return { step: 'countries', status: 'pass', detail: `GetCountries for ${org}: ${countries.length} countries` };
  } catch (err) {
    return failure('countries', err);
  }
}

function clockStep(samples: ClockOffsetSample[], token: StepResult): StepResult {
  const sample = samples[samples.length - 1];
  if (!sample) {
    return token.status === 'skip'
      ? { step: 'clock', status: 'skip', detail: 'no STS answer to compare with' }
      : { step: 'clock', status: 'warn', detail: 'the STS answer carried no time (no Timestamp, no Date header): offset unknown' };
  }
  const seconds = Math.round(sample.offsetMs / 1000);
  const side = seconds >= 0 ? 'behind' : 'ahead of';
  const detail = `local clock is ${Math.abs(seconds)} s ${side} the STS (±${Math.ceil(sample.uncertaintyMs / 1000)} s, from its ${sample.source === 'timestamp' ? 'Timestamp' : 'HTTP Date header'})`;
  const abs = Math.abs(sample.offsetMs);
  if (abs > CLOCK_FAIL_MS) {
    return { step: 'clock', status: 'fail', detail: `${detail}: beyond 4 minutes, WS-Security timestamps are refused`, hint: 'synchronise this machine’s clock (NTP)' };
  }
  if (abs > CLOCK_WARN_MS) return { step: 'clock', status: 'warn', detail: `${detail}: more than 30 s, check NTP` };
  return { step: 'clock', status: 'pass', detail };
}

function failure(step: string, err: unknown): StepResult {
  const problem = classifyUpstreamError(err);
  const code = err instanceof UsiError ? err.code : 'internal';
  const message = err instanceof Error ? err.message : String(err);
  return {
    step,
    status: 'fail',
    detail: problem ? `${problem.code}: ${problem.title} (${message})` : `${code}: ${message}`,
    ...(problem ? { hint: problem.vendor[0] } : {}),
  };
}
