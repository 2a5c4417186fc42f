import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runUsi } from './support/cli-run';
import { DIRECT, startConformanceEnv, VENDOR, type ConformanceEnv } from './support/conformance-env';
import { EXPIRED_KEYSTORE_PATH, PUBLIC_KEYSTORE_PATH, publicKeystore } from '../support/public-keystores';

/** The acceptance items of the protocol-stack issue that are about behaviour under load, deadlines and the CLI. */
describe('acceptance: token single-flight, deadlines and the usi CLI against the simulator', () => {
  let env: ConformanceEnv;
  let dir: string;
  let keystoreFile: string;

  beforeAll(async () => {
    env = await startConformanceEnv();
    dir = mkdtempSync(join(tmpdir(), 'usi-conformance-cli-'));
    keystoreFile = join(dir, 'keystore.xml');
    writeFileSync(keystoreFile, env.sim.admin.issueKeystore({ abn: DIRECT.abn, name: DIRECT.name, password: 'Secret-pw1', notBefore: new Date(env.clock.now().getTime() - 60_000).toISOString() }));
  });
  afterEach(() => env.sim.admin.clearFaults());
  afterAll(async () => {
    await env?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const connection = () => ['--env', 'sim', '--sim-url', env.sim.url, '--keystore', keystoreFile, '--org', DIRECT.orgCode];
  const maryam = ['--usi', 'BNGH7C75FN', '--first-name', 'Maryam', '--family-name', 'Fredrick', '--dob', '1966-05-25'];

  it('50 concurrent verifies for a provider with no cached token cause exactly one STS request', async () => {
    const client = env.client();
    env.sim.admin.resetCounters();
    const ctx = env.context('actAs');
    const req = { orgCode: VENDOR.orgCode, usi: 'BNGH7C75FN', firstName: 'Maryam', familyName: 'Fredrick', dateOfBirth: '1966-05-25' };
    const results = await Promise.all(Array.from({ length: 50 }, () => client.verifyUsi(ctx, req)));
    expect(results.every((r) => r.usiStatus === 'Valid')).toBe(true);
    const counters = env.sim.admin.counters();
    expect(counters.sts).toBe(1);
    expect(counters.usi.VerifyUSI).toBe(50);
  });

  it('a 10 s simulator hang with --timeout-ms 2000 ends in upstream.timeout within 2.5 s', async () => {
    env.sim.admin.setFaults({ global: { failure: 'hang', hangMs: 10_000 } });
    const started = Date.now();
    const run = await runUsi(['verify', ...connection(), '--password', 'Secret-pw1', '--timeout-ms', '2000', ...maryam], { clock: env.clock.now });
    const elapsed = Date.now() - started;
    expect(run.code).not.toBe(0);
    expect(JSON.parse(run.stderr)).toMatchObject({ code: 'upstream.timeout' });
    expect(elapsed).toBeLessThan(2_500);
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
  });

  it('verify prints the JSON result and exits 0', async () => {
    const run = await runUsi(['verify', ...connection(), ...maryam], { clock: env.clock.now, env: { USI_KEYSTORE_PASSWORD: 'Secret-pw1' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ usiStatus: 'Valid', firstName: 'Match', familyName: 'Match', dateOfBirth: 'Match' });
  });

  it('a bad password is a JSON error on stderr with a non-zero exit, and no key material anywhere', async () => {
    const run = await runUsi(['verify', ...connection(), '--password', 'Wrong-pw1', ...maryam], { clock: env.clock.now });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    const error = JSON.parse(run.stderr);
    expect(error).toMatchObject({ code: 'keystore.wrong_password', message: expect.any(String) });
    const keystoreXml = readFileSync(keystoreFile, 'utf8');
    const protectedKey = /protectedPrivateKey>([^<]+)</.exec(keystoreXml)![1].replace(/\s+/g, '');
    const output = run.stdout + run.stderr;
    for (const secret of ['Wrong-pw1', 'Secret-pw1', 'PRIVATE KEY', protectedKey.slice(0, 40), protectedKey.slice(-40)]) {
      expect(output).not.toContain(secret);
    }
  });

  describe('keystore inspect on the public 3PT keystores', () => {
    it('lists both credentials of keystore-3pt.xml as not expired', async () => {
      const run = await runUsi(['keystore', 'inspect', '--keystore', PUBLIC_KEYSTORE_PATH], { clock: env.clock.now });
      expect(run.code).toBe(0);
      const list = JSON.parse(run.stdout);
      expect(list).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: 'ABRD:27809366375_USIMachine', abn: '27809366375', expired: false }),
          expect.objectContaining({ id: 'ABRD:11000002568_INGLETON153', abn: '11000002568', expired: false }),
        ]),
      );
      expect(list).toHaveLength(2);
      expect(run.stdout).not.toContain(/protectedPrivateKey>([^<]{40})/.exec(publicKeystore().toString())![1]);
    });

    it('reports keystore-3pt-expired.xml as expired', async () => {
      const run = await runUsi(['keystore', 'inspect', '--keystore', EXPIRED_KEYSTORE_PATH], { clock: env.clock.now });
      expect(run.code).toBe(0);
      const list = JSON.parse(run.stdout) as { expired: boolean }[];
      expect(list).toHaveLength(2);
      expect(list.every((c) => c.expired)).toBe(true);
    });
  });
});
