import type { RunningSimulator } from '@usi/sim';
import { buildRst, post, readRstr, type Token } from './sim-messages';

/** A token from the simulator's STS for a credential its CA issues on the spot. */
export async function tokenFor(
  sim: RunningSimulator,
  cred: { abn: string; name: string },
  actAs?: { firstPartyAbn: string; secondPartyAbn: string; ssid: string },
): Promise<Token> {
  const issued = sim.ca.issueMachineCredential({ ...cred, notBefore: new Date(Date.now() - 60_000) });
  const res = await post(
    sim.stsUrl,
    buildRst({ stsUrl: sim.stsUrl, appliesTo: sim.usiUrl, certificateDer: issued.certificateDer, privateKey: issued.privateKey, ...(actAs ? { actAs } : {}) }),
  );
  if (res.status !== 200) throw new Error(`STS refused: ${res.body}`);
  return readRstr(res.body);
}
