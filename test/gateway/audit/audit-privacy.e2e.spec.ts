import { personalValuesIn } from '../../support/personal-test-data';
import { queryAs } from '../../support/test-database';
import { createUsiTestEnv, UsiTestEnv } from '../usi/support/usi-gateway-env';
import { APPLICATION, MARYAM, usiRoutes } from '../usi/support/usi-requests';

describe('audit privacy: no personal data reaches the audit table', () => {
  let env: UsiTestEnv;

  beforeAll(async () => {
    env = await createUsiTestEnv();
  }, 60_000);
  afterAll(() => env?.close());

  it('after a representative set of USI calls, no column of any audit row holds a name, DOB or contact', async () => {
    const vendor = await env.newVendor();
    const { organisation } = await env.newOrganisation(vendor);
    const routes = usiRoutes(env.gw.http, organisation.orgCode, await env.newKey(vendor));
    const sent = [
      await routes.verify(),
      await routes.post('/usi/verify/batch', {
        noOfVerifications: 2,
        verifications: [{ recordId: 1, ...MARYAM }, { recordId: 2, usi: 'XNY5NV9WG9', singleName: 'Amy', dateOfBirth: '2022-06-07' }],
      }),
      await routes.post('/usis', APPLICATION).set('Idempotency-Key', 'privacy-create'),
      await routes.post('/usis/locate', {
        userReference: 'locate-1',
        personalDetails: { firstName: 'Olivia', familyName: 'Harcastle', gender: 'F', dateOfBirth: '1992-03-14' },
        contactDetails: { emailAddress: 'olivia.harcastle@example.com.au' },
      }),
      await routes.put(`/usis/${MARYAM.usi}/contact-details`, {
        userReference: 'upd-2',
        contactDetailsUpdate: { emailAddress: 'maryam.new@example.com.au' },
      }).set('Idempotency-Key', 'privacy-contact'),
      // A refused body: field errors echo paths, and must not leak values into the audit trail either.
      await routes.post('/usi/verify', { ...MARYAM, dateOfBirth: '1966-05-25T00:00', unexpected: 'Maryam' }),
    ];
    expect(sent.map((r) => r.status)).toEqual([200, 200, 201, 200, 200, 400]);

    const rows = await queryAs<{ row: string; category: string; type: string }>(
      env.gw.db.ownerUrl,
      `select row_to_json(e)::text as row, category, type from audit_events e`,
    );
    // The calls were audited (inbound and each exchange), so the scan below looks at real rows.
    expect(rows.filter((r) => r.category === 'inbound').length).toBeGreaterThanOrEqual(sent.length);
    expect(rows.filter((r) => r.type === 'started').length).toBeGreaterThanOrEqual(5);
    expect(personalValuesIn(rows.map((r) => r.row))).toEqual([]);
    expect(rows.some((r) => r.row.includes(MARYAM.usi))).toBe(false);
    expect(rows.some((r) => r.row.includes('BN******FN'))).toBe(true);
  });
});
