import request from 'supertest';
import { createGatewayApp, GatewayTestApp } from '../../support/gateway-app';
import { queryAs } from '../../support/test-database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const code = (res: request.Response) => ({ status: res.status, code: res.body.code });

interface OutboxRow {
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  template: string;
  vendor_id: string | null;
  status: string;
}

/**
 * Wrong passwords lock an (account, address) pair, never the account for everyone: a stranger cannot keep the owner
 * out. Past 10 consecutive failures, attempts from addresses the account has not signed in from are spaced out
 * (1 s, 2 s, 4 s … at most 5 min), and the owner is told by email. TRUST_PROXY=loopback lets the test speak from
 * several addresses; the per-address failure limit is raised so that it stays out of the way.
 */
describe('login throttling: per account and address, slowed down per account, owner notified', () => {
  let gw: GatewayTestApp;
  let vendorId: string;
  let address = 0;
  const nextAddress = () => `192.0.2.${++address}`;

  beforeAll(async () => {
    gw = await createGatewayApp({ env: { TRUST_PROXY: 'loopback', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '10000' } });
    vendorId = (await gw.newVendor()).id;
  });
  afterAll(() => gw?.close());

  const login = (email: string, password: string, from: string) =>
    request(gw.http).post('/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });
  const outboxOf = (email: string) =>
    queryAs<OutboxRow>(gw.db.ownerUrl, `select * from email_outbox where to_address = $1 order by created_at`, [email]);

  /** `n` wrong passwords, 4 per address (under the pair lock), from fresh addresses. */
  const failFromStrangers = async (email: string, n: number) => {
    let from = nextAddress();
    for (let i = 0; i < n; i++) {
      if (i % 4 === 0) from = nextAddress();
      const res = await login(email, `wrong-${i}`, from);
      if (res.status !== 401) return res;
    }
    return undefined;
  };

  it('does not let 25 wrong passwords from strangers lock the owner out', async () => {
    const owner = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const home = nextAddress();
    await login(owner.email, owner.password, home).expect(200);
    // Slowed down past 10, so some of the 25 are refused 429 rather than 401: either way none gets in.
    for (let i = 0; i < 25; i++) {
      const res = await login(owner.email, `wrong-${i}`, nextAddress());
      expect([401, 429]).toContain(res.status);
    }
    const [user] = await queryAs<{ failed_logins: number }>(gw.db.ownerUrl, 'select failed_logins from users where id = $1', [owner.id]);
    expect(user.failed_logins).toBeGreaterThanOrEqual(10);
    await login(owner.email, owner.password, home).expect(200);
  });

  it('locks the (account, address) pair after 5 failures, with Retry-After, and only that pair', async () => {
    const owner = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const attacker = nextAddress();
    for (let i = 0; i < 5; i++) expect(code(await login(owner.email, 'wrong', attacker))).toEqual({ status: 401, code: 'auth.invalid_credentials' });
    const locked = await login(owner.email, owner.password, attacker);
    expect(code(locked)).toEqual({ status: 429, code: 'auth.too_many_attempts' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    // Another account from the same address, and the same account from another address, are unaffected.
    const other = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    await login(other.email, other.password, attacker).expect(200);
    await login(owner.email, owner.password, nextAddress()).expect(200);
  });

  it('spaces out attempts from unknown addresses past 10 consecutive failures, but not from a known one', async () => {
    const owner = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    const home = nextAddress();
    await login(owner.email, owner.password, home).expect(200);
    expect(await failFromStrangers(owner.email, 10)).toBeUndefined();
    // The 11th is admitted (and sets the pace); the next one from anywhere new must wait.
    expect(code(await login(owner.email, 'wrong-11', nextAddress()))).toEqual({ status: 401, code: 'auth.invalid_credentials' });
    const early = await login(owner.email, owner.password, nextAddress());
    expect(code(early)).toEqual({ status: 429, code: 'auth.too_many_attempts' });
    const wait = Number(early.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(2);
    // The owner, from an address that signed in before, is not slowed down.
    await login(owner.email, owner.password, home).expect(200);
    const [user] = await queryAs<{ failed_logins: number }>(gw.db.ownerUrl, 'select failed_logins from users where id = $1', [owner.id]);
    expect(user.failed_logins).toBe(0);
  });

  it('lets a stranger try again once the delay has passed, and doubles the delay', async () => {
    const owner = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    expect(await failFromStrangers(owner.email, 11)).toBeUndefined();
    const early = await login(owner.email, 'wrong', nextAddress());
    expect(code(early)).toEqual({ status: 429, code: 'auth.too_many_attempts' });
    await sleep(Number(early.headers['retry-after']) * 1000 + 100);
    expect(code(await login(owner.email, 'wrong-12', nextAddress()))).toEqual({ status: 401, code: 'auth.invalid_credentials' });
    const next = await login(owner.email, 'wrong', nextAddress());
    expect(code(next)).toEqual({ status: 429, code: 'auth.too_many_attempts' });
    expect(Number(next.headers['retry-after'])).toBeGreaterThanOrEqual(2);
    // The right password from a new address also gets in once its turn comes.
    await sleep(Number(next.headers['retry-after']) * 1000 + 100);
    await login(owner.email, owner.password, nextAddress()).expect(200);
  });

  it('admits one of many simultaneous attempts while slowed down, not all of them', async () => {
    const owner = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    expect(await failFromStrangers(owner.email, 10)).toBeUndefined();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => login(owner.email, `burst-${i}`, nextAddress())));
    expect(answers.filter((r) => r.status === 401)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(5);
  });

  it('emails the owner once when the failures pile up, with no secret in it', async () => {
    const owner = await gw.newUser({ vendorId, roles: ['vendor_admin'] });
    expect(await failFromStrangers(owner.email, 9)).toBeUndefined();
    expect(await outboxOf(owner.email)).toEqual([]);
    expect(await failFromStrangers(owner.email, 1)).toBeUndefined();
    const [mail, ...more] = await outboxOf(owner.email);
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ to_address: owner.email, template: 'auth.login_failures', vendor_id: vendorId, status: 'pending' });
    expect(mail.subject).toMatch(/failed sign-in attempts/i);
    expect(mail.text_body).toContain('10 failed sign-in attempts');
    for (const body of [mail.text_body, mail.html_body ?? '']) {
      expect(body).not.toContain('wrong-');
      expect(body).not.toContain(owner.password);
    }
    // More failures in the same streak add nothing until it grows tenfold.
    await sleep(1100);
    await login(owner.email, 'wrong-again', nextAddress());
    expect(await outboxOf(owner.email)).toHaveLength(1);
  });

  it('answers an unknown email like a wrong password and never emails anyone about it', async () => {
    for (let i = 0; i < 12; i++) expect(code(await login('nobody@example.test', `x${i}`, nextAddress()))).toEqual({ status: 401, code: 'auth.invalid_credentials' });
    expect(await outboxOf('nobody@example.test')).toEqual([]);
  });
});
