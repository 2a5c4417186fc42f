import { ActAs, CallContext, Endpoints, isUsiEnvironment, resolveEndpoints, UsiClient } from '@usi/client';
import { loadCredential } from '@usi/keystore';
import { CliIo } from './cli-io';
import { CliOptions, positiveInt, requireOption, serviceVersionOf } from './cli-options';
import { readInputFile } from './input-file';
import { UsageError } from './usage-error';

export interface ClientSession {
  client: UsiClient;
  ctx: CallContext;
  endpoints: Endpoints;
}

/** Resolves endpoints, unlocks the credential and builds the client a USI or token command runs with. */
export async function openSession(options: CliOptions, io: CliIo): Promise<ClientSession> {
  const env = options.env ?? 'sim';
  if (!isUsiEnvironment(env)) throw new UsageError(`--env must be sim, 3pt or production (got ${env})`);
  const version = serviceVersionOf(options);
  const endpoints = resolveEndpoints(
    env,
    { simUrl: options['sim-url'], stsUrl: options['sts-url'], usiUrl: options['usi-url'], appliesTo: options['applies-to'] },
    version,
  );
  const password = options.password ?? io.env.USI_KEYSTORE_PASSWORD;
  if (!password) throw new UsageError('--password (or USI_KEYSTORE_PASSWORD) is required');
  const keystoreXml = await readInputFile(io, requireOption(options, 'keystore'), 'keystore');
  const clock = io.clock ?? (() => new Date());
  const credential = loadCredential(keystoreXml, { alias: options.alias, password, now: clock() });
  const client = new UsiClient({ endpoints, transport: io.transport, clock, timeoutMs: positiveInt(options, 'timeout-ms'), version });
  return { client, ctx: { credential, actAs: actAsOf(options, credential.abn) }, endpoints };
}

function actAsOf(options: CliOptions, firstPartyAbn: string): ActAs | undefined {
  const secondPartyAbn = options['act-as-abn'];
  if (secondPartyAbn === undefined) {
    if (options.ssid !== undefined) throw new UsageError('--ssid only applies with --act-as-abn');
    return undefined;
  }
  return { firstPartyAbn, secondPartyAbn, ssid: requireOption(options, 'ssid') };
}
