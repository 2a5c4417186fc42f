import { AppError } from '../../common/errors/app-error';
import { Principal } from '../../common/request-context/principal';
import { AppConfig } from '../../config/app-config';
import { VendorId } from '../../database/vendor-id';
import { Authorisation } from '../../tenancy/authorisations/authorisation.types';
import { CacheInvalidation, InvalidationHandler } from '../../common/cache/cache-invalidation.service';
import { OrganisationAccessRecord, OrganisationAccessRepository } from './organisation-access.repository';
import { Organisation } from '../../tenancy/organisations/organisation.types';
import { OrganisationAccess } from './organisation-access.service';

const VA = 'aaaaaaaa-0000-4000-8000-000000000000' as VendorId;
const VB = 'bbbbbbbb-0000-4000-8000-000000000000' as VendorId;
const ORG_ID = '0000000a-0000-4000-8000-000000000000';

const principal = (vendorId: VendorId, organisationIds: string[] | null = null): Principal => ({
  kind: 'api_key',
  vendorId,
  organisationIds,
  scopes: ['usi:verify'],
  roles: [],
  actorId: 'api_key:test',
});

function record(vendorId: VendorId, authorisation: Partial<Authorisation>): OrganisationAccessRecord {
  return {
    vendorId,
    vendorAbn: '11000002568',
    organisation: { id: ORG_ID, orgCode: 'VA1802', abn: '51824753556' } as Organisation,
    authorisations: [
      { id: 'auth-1', softwareId: '1234567890', status: 'active', startDate: '2020-01-01', endDate: null, ...authorisation } as Authorisation,
    ],
  };
}

async function refusal(work: Promise<unknown>): Promise<{ code: string; extensions?: Record<string, unknown> }> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return { code: err.code, extensions: err.extensions };
}

describe('OrganisationAccess (cached)', () => {
  let rows: Map<VendorId, OrganisationAccessRecord>;
  let loads: VendorId[];
  let access: OrganisationAccess;
  let notify: InvalidationHandler;

  beforeEach(() => {
    rows = new Map();
    loads = [];
    const repository = {
      find: async (vendorId: VendorId) => {
        loads.push(vendorId);
        return rows.get(vendorId);
      },
    } as unknown as OrganisationAccessRepository;
    const invalidation = {
      listening: true,
      subscribe: (handler: InvalidationHandler) => (notify = handler),
    } as unknown as CacheInvalidation;
    access = new OrganisationAccess(repository, invalidation, { accessCache: { ttlMs: 60_000, maxEntries: 100 } } as AppConfig);
  });

  it('checks the end date at use, not only when the entry was cached', async () => {
    rows.set(VA, record(VA, { endDate: '2026-12-31' }));
    await expect(access.requireActive(principal(VA), VA, 'va1802', '2026-12-31')).resolves.toMatchObject({ vendorId: VA });
    const refused = await refusal(access.requireActive(principal(VA), VA, 'VA1802', '2027-01-01'));
    expect(refused).toMatchObject({ code: 'authorisation.not_active', extensions: { authorisationStatus: 'expired' } });
    expect(loads).toEqual([VA]);
  });

  it("never answers one vendor's lookup from another vendor's entry", async () => {
    rows.set(VA, record(VA, {}));
    await access.requireActive(principal(VA), VA, 'VA1802');
    expect((await refusal(access.requireActive(principal(VB), VB, 'VA1802'))).code).toBe('organisation.not_found');
    expect(loads).toEqual([VA, VB]);
  });

  it("applies the key's organisation restriction to cached entries", async () => {
    rows.set(VA, record(VA, {}));
    await access.requireActive(principal(VA), VA, 'VA1802');
    const restricted = principal(VA, ['0000000b-0000-4000-8000-000000000000']);
    expect((await refusal(access.requireActive(restricted, VA, 'VA1802'))).code).toBe('organisation.not_found');
    expect(loads).toEqual([VA]);
  });

  it('does not cache an organisation without an active authorisation', async () => {
    rows.set(VA, record(VA, { status: 'pending' }));
    expect((await refusal(access.requireActive(principal(VA), VA, 'VA1802'))).code).toBe('authorisation.not_active');
    rows.set(VA, record(VA, { status: 'active' }));
    await expect(access.requireActive(principal(VA), VA, 'VA1802')).resolves.toMatchObject({ authorisation: { status: 'active' } });
    expect(loads).toEqual([VA, VA]);
  });

  it("reads a job's batches through the cache, and refuses the next batch once the authorisation's change is notified", async () => {
    rows.set(VA, record(VA, {}));
    for (let batch = 0; batch < 3; batch++) await expect(access.requireActiveForJob(VA, 'VA1802')).resolves.toMatchObject({ vendorId: VA });
    expect(loads).toEqual([VA]);
    rows.set(VA, record(VA, { status: 'revoked' }));
    notify({ kind: 'organisation', id: ORG_ID });
    expect((await refusal(access.requireActiveForJob(VA, 'VA1802'))).code).toBe('authorisation.not_active');
    expect(loads).toEqual([VA, VA]);
  });

  it("shares a job's cached entry with interactive calls, the key's restriction still applied to the latter", async () => {
    rows.set(VA, record(VA, {}));
    await access.requireActiveForJob(VA, 'VA1802');
    await expect(access.requireActive(principal(VA), VA, 'VA1802')).resolves.toMatchObject({ vendorId: VA });
    const restricted = principal(VA, ['0000000b-0000-4000-8000-000000000000']);
    expect((await refusal(access.requireActive(restricted, VA, 'VA1802'))).code).toBe('organisation.not_found');
    expect(loads).toEqual([VA]);
  });
});
