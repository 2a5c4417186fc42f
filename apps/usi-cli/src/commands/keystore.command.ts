import { checkKeystorePassword, listCredentials } from '@usi/keystore';
import { CliIo } from '../cli-io';
import { CliOptions, requireOption } from '../cli-options';
import { readInputFile } from '../input-file';
import { UsageError } from '../usage-error';

/**
 * `keystore inspect`: public facts only. With a password (--password or USI_KEYSTORE_PASSWORD) it is checked against
 * every private key first, and a wrong one fails (`keystore.wrong_password`); without one, stderr says that nothing
 * private was checked.
 */
export async function keystoreCommand(args: string[], options: CliOptions, io: CliIo): Promise<unknown> {
  if (args[0] !== 'inspect' || args.length !== 1) throw new UsageError('usage: usi keystore inspect --keystore FILE [--password P]');
  const xml = await readInputFile(io, requireOption(options, 'keystore'), 'keystore');
  const password = options.password ?? io.env.USI_KEYSTORE_PASSWORD;
  if (password !== undefined) checkKeystorePassword(xml, password);
  else io.stderr('note: no --password given: public facts only, the private keys were not checked\n');
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
