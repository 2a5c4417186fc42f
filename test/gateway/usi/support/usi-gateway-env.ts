import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { RunningSimulator, SimulatorOptions, startSimulator } from '@usi/sim';
import type { ApiScope } from '@gateway/common/request-context/principal';
import { CredentialsService } from '@gateway/credentials/credentials.service';
import { asVendorId } from '@gateway/database/vendor-id';
import { AuthorisationRepository } from '@gateway/tenancy/authorisations/authorisation.repository';
import { Authorisation } from '@gateway/tenancy/authorisations/authorisation.types';
import { Organisation } from '@gateway/tenancy/organisations/organisation.types';
import { Vendor } from '@gateway/tenancy/vendors/vendor.types';
import type { Clock } from '@gateway/common/clock';
import { randomAbn } from '../../../support/abn';
import { createGatewayApp, GatewayTestApp } from '../../../support/gateway-app';

export interface UsiTestEnv {
  gw: GatewayTestApp;
  sim: RunningSimulator;
  /** A vendor with an uploaded, checked, active credential (issued by the simulator's CA); counters reset after it. */
  newVendor(): Promise<Vendor>;
  /**
   * An organisation known to the gateway and the simulator (org codes are ≤ 8 characters there) with an
   * authorisation; `notified` adds the RAM notification to the simulator.
   */
  newOrganisation(
    vendor: Vendor,
    options?: { status?: 'active' | 'pending'; endDate?: string; notified?: boolean },
  ): Promise<{ organisation: Organisation; authorisation: Authorisation }>;
  newKey(vendor: Vendor, scopes?: ApiScope[], organisationIds?: string[]): Promise<string>;
  /** Simulator requests received since the last call (STS + USI). */
  counted(): { sts: number; usi: Partial<Record<string, number>>; total: number };
  close(): Promise<void>;
}

let orgSeq = 0;

/** `options.clock` is the gateway's clock; the simulator keeps its own. */
export async function createUsiTestEnv(
  env: Record<string, string> = {},
  options: Pick<SimulatorOptions, 'trustKeystores' | 'population'> & { clock?: Clock } = {},
): Promise<UsiTestEnv> {
  const { clock, ...simOptions } = options;
  const stateDir = mkdtempSync(join(tmpdir(), 'usi-gw-sim-'));
  const sim = await startSimulator({ port: 0, stateDir, quiet: true, ...simOptions });
  const gw = await createGatewayApp({
    env: { USI_ENV: 'sim', USI_SIM_URL: sim.url, USI_TIMEOUT_MS: '5000', USI_RETRY_BASE_MS: '5', ...env },
    clock,
  }).catch(async (err) => {
    await sim.close();
    throw err;
  });
  const authorisations = gw.app.get(AuthorisationRepository);

  return {
    gw,
    sim,
    async newVendor() {
      const vendor = await gw.newVendor({ abn: randomAbn() });
      const name = `Gw${randomBytes(3).toString('hex')}`;
      const keystore = sim.admin.issueKeystore({ abn: vendor.abn, name, password: 'pw' });
      const uploaded = await gw.app.get(CredentialsService).upload(asVendorId(vendor.id), 'test', {
        keystore: Buffer.from(keystore),
        credentialId: `ABRD:${vendor.abn}_${name}`,
        password: 'pw',
      });
      if (uploaded.status !== 'active') throw new Error(`the test credential did not pass its check: ${JSON.stringify(uploaded.lastCheck)}`);
      // The upload's token check (one STS request) is arrangement, not what a test counts.
      sim.admin.resetCounters();
      sim.admin.clearStsRequests();
      return vendor;
    },
    async newOrganisation(vendor, options = {}) {
      orgSeq += 1;
      const orgCode = `GW${String(orgSeq).padStart(4, '0')}`;
      const organisation = await gw.newOrganisation(vendor.id, { orgCode, abn: randomAbn() });
      sim.admin.addOrganisation({ orgCode, abn: organisation.abn, name: organisation.legalName, kind: 'cloud' });
      const vendorId = asVendorId(vendor.id);
      let authorisation = await authorisations.create(vendorId, organisation.id, {
        startDate: '2020-01-01',
        endDate: options.endDate ?? null,
      });
      if ((options.status ?? 'active') === 'active') {
        authorisation = (await authorisations.transition(vendorId, authorisation.id, 'activate'))!;
      }
      if (options.notified ?? true) {
        sim.admin.addNotification({ vendorAbn: vendor.abn, providerAbn: organisation.abn, softwareId: authorisation.softwareId });
      }
      return { organisation, authorisation };
    },
    async newKey(vendor, scopes = ['usi:verify', 'usi:write'], organisationIds) {
      return (await gw.newApiKey(vendor.id, { scopes, organisationIds: organisationIds ?? null })).key;
    },
    counted() {
      const snapshot = sim.admin.counters();
      sim.admin.resetCounters();
      return snapshot;
    },
    async close() {
      await gw.close();
      await sim.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
