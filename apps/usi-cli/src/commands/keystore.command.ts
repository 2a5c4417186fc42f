import { listCredentials } from '@usi/keystore';
import { CliIo } from '../cli-io';
import { CliOptions, requireOption } from '../cli-options';
import { UsageError } from '../usage-error';

/** `keystore inspect`: public facts only; listing needs no password, so none is asked for. */
export async function keystoreCommand(args: string[], options: CliOptions, io: CliIo): Promise<unknown> {
  if (args[0] !== 'inspect' || args.length !== 1) throw new UsageError('usage: usi keystore inspect --keystore FILE');
  const xml = await io.readFile(requireOption(options, 'keystore'));
  const now = io.clock?.();
  return listCredentials(xml, now ? { now } : {}).map((c) => ({
    id: c.id,
    abn: c.abn,
    name: c.legalName,
    serialNumber: c.serialNumber,
    sha1Fingerprint: c.sha1Fingerprint,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    expired: c.expired,
  }));
}
