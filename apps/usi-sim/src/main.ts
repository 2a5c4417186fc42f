import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeKeystore } from '@usi/keystore';
import { DEFAULT_PORT, startSimulator } from './simulator';

/** The two 3PT identities (shared/fixtures/README.md), re-issued by the simulator's CA. */
const TEST_IDENTITIES = [
  { abn: '27809366375', name: 'USIMachine' },
  { abn: '11000002568', name: 'INGLETON153' },
];
const TEST_PASSWORD = 'Password1!';

const USAGE = 'usage: npm run -s sim -- [--port N] [--host H] [--trust-keystore FILE ...] [--state-dir DIR] [--write-keystore FILE] [--quiet]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'trust-keystore': { type: 'string', multiple: true },
      'state-dir': { type: 'string' },
      'write-keystore': { type: 'string' },
      'applies-to': { type: 'string', multiple: true },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(values.port ?? process.env.USI_SIM_PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535\n${USAGE}`);
  const writeTo = values['write-keystore'];
  const sim = await startSimulator({
    port: writeTo ? 0 : port,
    ...(values.host ? { host: values.host } : {}),
    ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}),
    ...(values['trust-keystore'] ? { trustKeystores: values['trust-keystore'] } : {}),
    ...(values['applies-to'] ? { extraAppliesTo: values['applies-to'] } : {}),
    quiet: values.quiet ?? false,
  });
  if (writeTo) {
    const entries = TEST_IDENTITIES.map((id) => {
      const issued = sim.ca.issueMachineCredential({ ...id, notBefore: new Date(Date.now() - 60_000) });
      return { ...id, chain: issued.chain, privateKey: issued.privateKey };
    });
    writeFileSync(writeTo, writeKeystore(entries, TEST_PASSWORD), { mode: 0o600 });
    process.stdout.write(`wrote ${writeTo}: ${TEST_IDENTITIES.map((i) => `ABRD:${i.abn}_${i.name}`).join(', ')} (password ${TEST_PASSWORD})\n`);
    await sim.close();
    return;
  }
  process.stdout.write(`usi-sim listening on ${sim.url}\n  STS ${sim.stsUrl}\n  USI ${sim.usiUrl}\n  admin ${sim.url}/admin\n`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`usi-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
