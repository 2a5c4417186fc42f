import { loadCredential } from '@usi/keystore';
import { PUBLIC_KEYSTORE_PATH, publicKeystore } from '../support/public-keystores';
import { buildRst, faultOf, post, readRstr } from './support/sim-messages';
import { startTestSimulator } from './support/running-sim';

describe('usi-sim --trust-keystore with the public 3PT keystore', () => {
  const keystore = PUBLIC_KEYSTORE_PATH;
  const credential = loadCredential(publicKeystore(), { alias: 'ABRD:27809366375_USIMachine', password: 'Password1!' });
  // Inside the fixture credentials' validity (2025-07-25 .. 2027-07-25), whatever the machine's date.
  const now = new Date('2026-06-01T00:00:00Z');

  const issue = async (trustKeystores: string[]) => {
    const sim = await startTestSimulator({ trustKeystores, clock: () => now });
    try {
      const rst = buildRst({ stsUrl: sim.stsUrl, appliesTo: sim.usiUrl, certificateDer: credential.certificateDer, privateKey: credential.privateKey, now });
      return await post(sim.stsUrl, rst);
    } finally {
      await sim.stop();
    }
  };

  it('issues a token to the 3PT credential when its keystore is trusted', async () => {
    expect(readRstr((await issue([keystore])).body).proofKey).toHaveLength(32);
  });

  it('refuses the 3PT credential when only its own CA is trusted', async () => {
    expect(faultOf((await issue([])).body)).toMatchObject({ subcode: 'FailedAuthentication' });
  });
});
