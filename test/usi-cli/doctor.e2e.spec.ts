import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKeystore } from '@usi/keystore';
import { runUsi } from '../conformance/support/cli-run';
import { startTestSimulator } from '../usi-sim/support/running-sim';

type Sim = Awaited<ReturnType<typeof startTestSimulator>>;

const PASSWORD = 'Password1!';
const STEPS = ['keystore', 'sts', 'usi', 'token', 'clock', 'countries'];

/** `usi doctor` against a running simulator, over the network like any user would run it. */
describe('usi doctor against the simulator', () => {
  let sim: Sim;
  let dir: string;
  let keystore: string;

  beforeAll(async () => {
    sim = await startTestSimulator();
    dir = mkdtempSync(join(tmpdir(), 'usi-doctor-'));
    keystore = join(dir, 'keystore.xml');
    const entries = [
      { abn: '27809366375', name: 'USIMachine' },
      { abn: '11000002568', name: 'INGLETON153' },
    ].map((id) => ({ ...id, ...sim.ca.issueMachineCredential({ ...id, notBefore: new Date(Date.now() - 60_000) }) }));
    writeFileSync(keystore, writeKeystore(entries, PASSWORD));
  });
  afterAll(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => sim.admin.clearFaults());

  const doctor = (...extra: string[]) =>
    runUsi(['doctor', '--env', 'sim', '--sim-url', sim.url, '--keystore', keystore, '--alias', 'ABRD:27809366375_USIMachine', '--password', PASSWORD, ...extra]);
  const line = (stdout: string, step: string) => stdout.split('\n').find((l) => new RegExp(`^(PASS|WARN|FAIL|SKIP)  ${step} `).test(l));

  it('prints every step and exits 0 when all pass', async () => {
    const { code, stdout, stderr } = await doctor();
    expect(stderr).toBe('');
    for (const step of STEPS) expect(line(stdout, step)).toMatch(/^PASS/);
    expect(line(stdout, 'keystore')).toMatch(/ABRD:27809366375_USIMachine: password accepted, valid until \d{4}-\d\d-\d\d \(\d+ days left\)/);
    expect(line(stdout, 'sts')).toMatch(/TCP 127\.0\.0\.1:\d+ connected/);
    expect(line(stdout, 'clock')).toMatch(/local clock is \d s (behind|ahead of) the STS .*Timestamp/);
    expect(line(stdout, 'countries')).toMatch(/GetCountries for VA1803: \d+ countries/);
    expect(stdout).toContain('usi doctor: all 6 checks passed');
    expect(code).toBe(0);
  });

  it("acts for the public test provider with the vendor credential (cloud mode)", async () => {
    const { code, stdout } = await runUsi(['doctor', '--sim-url', sim.url, '--keystore', keystore, '--alias', 'ABRD:11000002568_INGLETON153', '--password', PASSWORD]);
    expect(line(stdout, 'token')).toMatch(/acting for ABN 96312011219/);
    expect(line(stdout, 'countries')).toMatch(/GetCountries for VA1802/);
    expect(code).toBe(0);
  });

  it("with the simulator's clock skewed by 6 minutes exits non-zero, naming the clock", async () => {
    sim.admin.setFaults({ global: { clockSkewMs: 6 * 60_000 } });
    const { code, stdout } = await doctor();
    expect(code).toBe(1);
    expect(line(stdout, 'clock')).toMatch(/^FAIL  clock +local clock is 36\d s behind the STS .*beyond 4 minutes/);
    expect(stdout).toMatch(/→ synchronise this machine’s clock \(NTP\)/);
    expect(line(stdout, 'token')).toMatch(/^FAIL .*upstream\.clock_skew/);
    expect(line(stdout, 'countries')).toMatch(/^SKIP/);
    expect(stdout).toMatch(/usi doctor: failed: token, clock; not run: countries/);
  });

  it('a wrong password fails the keystore step and skips what needs the key', async () => {
    const { code, stdout } = await runUsi(['doctor', '--sim-url', sim.url, '--keystore', keystore, '--alias', 'ABRD:27809366375_USIMachine', '--password', 'nope']);
    expect(code).toBe(1);
    expect(line(stdout, 'keystore')).toMatch(/^FAIL .*keystore\.wrong_password/);
    expect(line(stdout, 'sts')).toMatch(/^PASS/);
    expect(line(stdout, 'token')).toMatch(/^SKIP/);
  });

  it('an unreachable STS fails its reachability step', async () => {
    const { code, stdout } = await doctor('--sts-url', 'http://127.0.0.1:1/R3.0/S007v1.3/service.svc', '--timeout-ms', '2000');
    expect(code).toBe(1);
    expect(line(stdout, 'sts')).toMatch(/^FAIL .*not reachable: TCP 127\.0\.0\.1:1: cannot connect \(ECONNREFUSED\)/);
    expect(line(stdout, 'token')).toMatch(/^SKIP/);
  });

  it('speaks another web-service version when told (--service-version v6: the draft the simulator serves)', async () => {
    const { code, stdout } = await doctor('--service-version', 'v6');
    expect(stdout).toMatch(/web service v6 .*USI http:\/\/127\.0\.0\.1:\d+\/service\/v6\/usiservice\.svc/);
    expect(line(stdout, 'countries')).toMatch(/^PASS/);
    expect(code).toBe(0);
  });
});
