import { randomBytes, X509Certificate } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { TestCa, writeKeystore } from '@usi/keystore';
import { ApiKeyService } from '../auth/api-keys/api-key.service';
import { MfaService } from '../auth/mfa/mfa.service';
import { UserRepository } from '../auth/users/user.repository';
import { UserService } from '../auth/users/user.service';
import { AppError } from '../common/errors/app-error';
import { API_SCOPES, UserRole } from '../common/request-context/principal';
import { CredentialsService } from '../credentials/credentials.service';
import { M2mCredentialEntity } from '../credentials/m2m-credential.entity';
import { TenantTransaction } from '../database/tenant-transaction.service';
import { asVendorId, VendorId } from '../database/vendor-id';
import { AuthorisationRepository } from '../tenancy/authorisations/authorisation.repository';
import { Organisation } from '../tenancy/organisations/organisation.types';
import { OrganisationRepository } from '../tenancy/organisations/organisation.repository';
import { VendorService } from '../tenancy/vendors/vendor.service';
import { DemoInfo, DemoUser } from './demo-file';

/** The identities the simulator's registry is seeded with (apps/usi-sim/src/registry/seed/organisations.seed.ts). */
export const DEMO = {
  vendor: { name: 'Demo SMS Vendor', abn: '11000002568' },
  /** The 3PT name of the vendor's machine credential, so the keystore alias reads like the real one. */
  credentialName: 'INGLETON153',
  organisation: { orgCode: 'VA1802', abn: '96312011219', legalName: 'Cloud Test Training Provider', kind: 'RTO' as const },
  /** The simulator holds the RAM notification for exactly this software ID. */
  softwareId: '0000123400',
  authorisationStart: '2020-01-01',
  apiKeyName: 'Demo key (all scopes)',
  /**
   * `scope`: the provider's organisation, the demo vendor, or the platform (no vendor). Support comes twice: the
   * vendor's own (its tenants only) and the platform operator's (every vendor, each read on that vendor's record).
   */
  users: [
    { email: 'admin@va1802.example', role: 'provider_admin', scope: 'organisation' },
    { email: 'vendor.admin@demo-sms-vendor.example', role: 'vendor_admin', scope: 'vendor' },
    { email: 'vendor.developer@demo-sms-vendor.example', role: 'vendor_developer', scope: 'vendor' },
    { email: 'support@demo-sms-vendor.example', role: 'support', scope: 'vendor' },
    { email: 'platform.support@usi-gateway.example', role: 'platform_support', scope: 'platform' },
    { email: 'platform.admin@usi-gateway.example', role: 'platform_admin', scope: 'platform' },
  ] satisfies { email: string; role: UserRole; scope: 'organisation' | 'vendor' | 'platform' }[],
};

const ACTOR = 'system:demo-seed';
/** Re-issue a credential this close to expiry rather than let the demo break in the middle of a session. */
const RENEW_BEFORE_MS = 7 * 24 * 3600_000;

export interface DemoSeedDeps {
  tx: TenantTransaction;
  vendors: VendorService;
  credentials: CredentialsService;
  organisations: OrganisationRepository;
  authorisations: AuthorisationRepository;
  users: UserService;
  userAccounts: UserRepository;
  mfa: MfaService;
  apiKeys: ApiKeyService;
}

export interface DemoSeedInput {
  baseUrl: string;
  /** The simulator's CA; without it (a real USI environment) no credential is seeded. */
  ca?: TestCa;
  /** The previous run's demo.json: its passwords are reused, never regenerated. */
  previous?: DemoInfo;
}

/**
 * Idempotent demo data for the self-contained mode, created through the same services as the API so the
 * credential is encrypted by the key provider and every check (ABN, expiry, key match) runs.
 */
export class DemoSeedService {
  private readonly logger = new Logger('DemoSeed');

  constructor(private readonly deps: DemoSeedDeps) {}

  /** Over the services of a running gateway, wherever they are registered. */
  static fromApp(app: { get<T>(token: new (...args: never[]) => T, options: { strict: false }): T }): DemoSeedService {
    const get = <T>(token: new (...args: never[]) => T): T => app.get(token, { strict: false });
    return new DemoSeedService({
      tx: get(TenantTransaction),
      vendors: get(VendorService),
      credentials: get(CredentialsService),
      organisations: get(OrganisationRepository),
      authorisations: get(AuthorisationRepository),
      users: get(UserService),
      userAccounts: get(UserRepository),
      mfa: get(MfaService),
      apiKeys: get(ApiKeyService),
    });
  }

  async seed(input: DemoSeedInput): Promise<DemoInfo> {
    const vendorId = await this.ensureVendor();
    if (input.ca) await this.ensureCredential(vendorId, input.ca);
    const organisation = await this.ensureOrganisation(vendorId);
    await this.ensureAuthorisation(vendorId, organisation.id);
    const users = await this.ensureUsers(vendorId, organisation.id, input.previous);
    const apiKey = await this.ensureApiKey(vendorId, input.previous?.apiKey);
    return { baseUrl: input.baseUrl, apiKey, orgCode: organisation.orgCode, users };
  }

  private async ensureVendor(): Promise<VendorId> {
    // Vendor ABNs are not unique (a vendor may be registered twice), so the demo one is recognised by name too.
    const [found] = await this.deps.tx.runInPlatformScope('demo seed: find the demo vendor', (m) =>
      m.query(`select id from vendors where abn = $1 and name = $2 order by created_at limit 1`, [
        DEMO.vendor.abn,
        DEMO.vendor.name,
      ]),
    );
    if (found) return asVendorId(found.id);
    const created = await this.deps.vendors.create(DEMO.vendor);
    this.logger.log(`created vendor ${DEMO.vendor.name}`);
    return asVendorId(created.id);
  }

  /** Keeps the active credential while the simulator's CA (persisted in its state dir) still vouches for it. */
  private async ensureCredential(vendorId: VendorId, ca: TestCa): Promise<void> {
    const active = await this.deps.tx.runInTenant(vendorId, (m) =>
      m.getRepository(M2mCredentialEntity).findOne({ where: { vendorId, status: 'active' } }),
    );
    if (active && isCurrent(active, ca)) return;

    const issued = ca.issueMachineCredential({
      abn: DEMO.vendor.abn,
      name: DEMO.credentialName,
      notBefore: new Date(Date.now() - 60_000),
    });
    // Lives only for this upload: the stored copy is re-encrypted by the key provider.
    const password = randomBytes(24).toString('base64url');
    const entry = { abn: DEMO.vendor.abn, name: DEMO.credentialName, chain: issued.chain, privateKey: issued.privateKey };
    const view = await this.deps.credentials.upload(vendorId, ACTOR, {
      keystore: Buffer.from(writeKeystore([entry], password)),
      credentialId: `ABRD:${DEMO.vendor.abn}_${DEMO.credentialName}`,
      password,
    });
    if (view.status !== 'active') {
      // The upload is checked with the simulator's STS first; a failed check leaves it pending and the old one serving.
      this.logger.warn(`the demo machine credential is ${view.status}: ${view.lastCheck?.message ?? 'not checked'}`);
      return;
    }
    this.logger.log(`${active ? 'rotated' : 'uploaded'} the demo machine credential (serial ${view.serialNumber}, checked with the simulator's STS)`);
  }

  private async ensureOrganisation(vendorId: VendorId): Promise<Organisation> {
    const existing = await this.deps.organisations.findByCode(vendorId, DEMO.organisation.orgCode);
    return existing ?? this.deps.organisations.create(vendorId, DEMO.organisation);
  }

  private async ensureAuthorisation(vendorId: VendorId, organisationId: string): Promise<void> {
    const { authorisations } = this.deps;
    const found = (await authorisations.list(vendorId, organisationId, 1000)).find((a) => a.softwareId === DEMO.softwareId);
    const authorisation =
      found ?? (await authorisations.create(vendorId, organisationId, { startDate: DEMO.authorisationStart }, DEMO.softwareId));
    if (authorisation.status === 'active') return;
    const activated = await authorisations.transition(vendorId, authorisation.id, 'activate');
    if (!activated) {
      // Revoked or expired on purpose by someone trying the API: leave it, and say why USI calls fail.
      this.logger.warn(`the demo authorisation is ${authorisation.status}; delete ./.data to start the demo afresh`);
    }
  }

  private async ensureUsers(vendorId: VendorId, organisationId: string, previous?: DemoInfo): Promise<DemoUser[]> {
    const users: DemoUser[] = [];
    for (const spec of DEMO.users) {
      const before = previous?.users.find((u) => u.email === spec.email);
      const known = before?.password ?? null;
      const password = known ?? randomBytes(12).toString('base64url');
      let created = true;
      try {
        await this.deps.users.create({
          vendorId: spec.scope === 'platform' ? null : vendorId,
          organisationId: spec.scope === 'organisation' ? organisationId : null,
          email: spec.email,
          password,
          roles: [spec.role],
        });
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'user.email_taken')) throw err;
        if (!known) this.logger.warn(`${spec.email} exists but its password is not in demo.json; delete ./.data to reset`);
        created = false;
      }
      const totpSecret = await this.ensureSecondFactor(spec.email, before?.totpSecret ?? null);
      users.push({ email: spec.email, password: created ? password : known, role: spec.role, totpSecret });
    }
    return users;
  }

  /**
   * Every web user needs a second factor; the demo's are enrolled here and their secrets written to demo.json (and
   * the banner), so a newcomer adds them to an authenticator app and the browser tests compute codes from them.
   */
  private async ensureSecondFactor(email: string, knownSecret: string | null): Promise<string | null> {
    const account = await this.deps.userAccounts.findForLogin(email);
    if (!account) return null;
    if (account.mfaEnrolled) return knownSecret;
    return this.deps.mfa.enrolWithSecret(account.id);
  }

  /**
   * The key of demo.json while it still works (so a restart changes nothing a developer pasted), else a fresh one.
   * The clear key exists only in demo.json; other unrevoked demo keys are revoked when a new one is made.
   */
  private async ensureApiKey(vendorId: VendorId, previous?: string): Promise<string> {
    const { apiKeys } = this.deps;
    if (previous) {
      const principal = await apiKeys.authenticate(previous).catch(() => undefined);
      if (principal?.vendorId === vendorId) return previous;
    }
    let cursor: string | undefined;
    do {
      const page = await apiKeys.list(vendorId, { limit: 200, cursor });
      for (const key of page.items) {
        if (key.name === DEMO.apiKeyName && !key.revokedAt) await apiKeys.revoke(vendorId, key.id);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const created = await apiKeys.create(vendorId, { name: DEMO.apiKeyName, scopes: [...API_SCOPES] }, ACTOR);
    return created.key;
  }
}

function isCurrent(credential: M2mCredentialEntity, ca: TestCa): boolean {
  if (credential.notAfter.getTime() - Date.now() < RENEW_BEFORE_MS) return false;
  const leaf = new X509Certificate(credential.certificateChain);
  return leaf.verify(new X509Certificate(ca.certificateDer).publicKey);
}
