import { loadCredential } from '@usi/keystore';
import { PUBLIC_KEYSTORE_PATH, publicKeystore } from '../support/public-keystores';
import { clientError, DIRECT, startConformanceEnv, VENDOR, type ConformanceEnv } from './support/conformance-env';

/** The public 3PT keystore works unchanged against a simulator that trusts its chain (`trustKeystores`). */
describe('conformance: the public 3PT keystore', () => {
  const keystorePath = PUBLIC_KEYSTORE_PATH;
  let env: ConformanceEnv;
  const load = (alias: string) => loadCredential(publicKeystore(), { alias, password: 'Password1!', now: env.clock.now() });
  const maryam = { usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' };

  beforeAll(async () => {
    env = await startConformanceEnv({ trustKeystores: [keystorePath] });
  });
  afterAll(() => env?.stop());

  it('direct: ABRD:27809366375_USIMachine verifies for VA1803', async () => {
    const credential = load('ABRD:27809366375_USIMachine');
    await expect(env.client().verifyUsi({ credential }, { orgCode: DIRECT.orgCode, ...maryam })).resolves.toMatchObject({
      usiStatus: 'Valid',
      firstName: 'Match',
    });
  });

  it('ActAs: ABRD:11000002568_INGLETON153 acting for 96312011219 verifies for VA1802', async () => {
    const credential = load('ABRD:11000002568_INGLETON153');
    const actAs = { firstPartyAbn: VENDOR.abn, secondPartyAbn: VENDOR.providerAbn, ssid: VENDOR.ssid };
    await expect(env.client().verifyUsi({ credential, actAs }, { orgCode: VENDOR.orgCode, ...maryam })).resolves.toMatchObject({
      usiStatus: 'Valid',
    });
  });

  it('is refused (sts.fault FailedAuthentication) by a simulator that does not trust it', async () => {
    const untrusting = await startConformanceEnv();
    try {
      const credential = loadCredential(publicKeystore(), { alias: 'ABRD:27809366375_USIMachine', password: 'Password1!', now: untrusting.clock.now() });
      const err = await clientError(untrusting.client().verifyUsi({ credential }, { orgCode: DIRECT.orgCode, ...maryam }));
      expect(err.code).toBe('sts.fault');
      expect(err.details).toMatchObject({ subcode: 'FailedAuthentication' });
    } finally {
      await untrusting.stop();
    }
  });
});
