import { listCredentials, loadCredential } from '@usi/keystore';
import { startTestSimulator } from './support/running-sim';

type Sim = Awaited<ReturnType<typeof startTestSimulator>>;

describe('usi-sim admin API', () => {
  let sim: Sim;
  const json = (method: string, path: string, body?: unknown, raw?: string) =>
    fetch(`${sim.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(raw ?? body ? { body: raw ?? JSON.stringify(body) } : {}) });

  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.stop());

  it('answers bad JSON and invalid input with 400 {code,message}', async () => {
    const bad = await json('POST', '/admin/notifications', undefined, '{not json');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ code: 'admin.bad_request', message: 'the body is not valid JSON' });
    const invalid = await json('POST', '/admin/notifications', { vendorAbn: '123', providerAbn: '96312011219', softwareId: '0000123400' });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).message).toMatch(/^vendorAbn: /);
    const unknownField = await json('POST', '/admin/organisations', { orgCode: 'X1', abn: '96312011219', name: 'x', extra: true });
    expect(unknownField.status).toBe(400);
    expect((await json('PUT', '/admin/faults', { global: { errorRate: 5 } })).status).toBe(400);
    expect((await json('GET', '/admin/nothing')).status).toBe(404);
  });

  it('adds, lists and revokes notifications', async () => {
    const created = await json('POST', '/admin/notifications', { vendorAbn: '11000002568', providerAbn: '53004085616', softwareId: '0000000042' });
    expect(created.status).toBe(201);
    const notification = await created.json();
    expect(notification).toMatchObject({ status: 'active', softwareId: '0000000042' });
    const list = await (await json('GET', '/admin/notifications')).json();
    expect(list.map((n: { id: string }) => n.id)).toContain(notification.id);
    const revoked = await json('DELETE', `/admin/notifications/${notification.id}`);
    expect(await revoked.json()).toMatchObject({ id: notification.id, status: 'revoked' });
    expect((await json('DELETE', '/admin/notifications/N999999')).status).toBe(404);
  });

  it('registers organisations and seeds people', async () => {
    const org = await json('POST', '/admin/organisations', { orgCode: 'ab1234', abn: '53004085616', name: 'Example RTO' });
    expect(await org.json()).toMatchObject({ orgCode: 'AB1234', webServiceAccess: true });
    const people = await json('POST', '/admin/people', [{ gender: 'F', dateOfBirth: '1990-01-02', firstName: 'Ada', familyName: 'Example' }]);
    expect(people.status).toBe(201);
    const [person] = await people.json();
    expect(person.usi).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
    expect((await json('POST', '/admin/people', { gender: 'F', dateOfBirth: 'yesterday', singleName: 'X' })).status).toBe(400);
  });

  it('issues a keystore from its CA that loads with the given password', async () => {
    const res = await json('POST', '/admin/keystore', { abn: '53004085616', name: 'ExampleMachine', password: 'S3cret!' });
    expect(res.status).toBe(201);
    const xml = await res.text();
    expect(listCredentials(xml).map((c) => c.id)).toEqual(['ABRD:53004085616_ExampleMachine']);
    const credential = loadCredential(xml, { abn: '53004085616', password: 'S3cret!' });
    expect(credential.chain.at(-1)).toEqual(sim.ca.certificateDer);
    expect((await json('POST', '/admin/keystore', { abn: '53004085616', name: 'x' })).status).toBe(400);
  });

  it('keeps its CA across restarts of the same state dir', async () => {
    const again = await startTestSimulator({ stateDir: sim.stateDir });
    try {
      expect(again.ca.certificateDer).toEqual(sim.ca.certificateDer);
    } finally {
      await again.close();
    }
  });
});
