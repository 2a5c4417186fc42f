import { planStartup } from './startup-plan';

describe('planStartup', () => {
  it('is self-contained with the in-process simulator and the demo seed when nothing is set', () => {
    expect(planStartup({})).toEqual({ selfContained: true, inProcessSimulator: true, defaults: { DEMO_SEED: 'true' } });
  });

  it('uses an external simulator or a real USI environment instead of the in-process one', () => {
    expect(planStartup({ USI_SIM_URL: 'http://127.0.0.1:7300' }).inProcessSimulator).toBe(false);
    expect(planStartup({ USI_ENV: '3pt' }).inProcessSimulator).toBe(false);
    expect(planStartup({ USI_ENV: 'sim' }).inProcessSimulator).toBe(true);
  });

  it('runs as in production with DATABASE_URL: nothing embedded, nothing seeded by default', () => {
    const plan = planStartup({ DATABASE_URL: 'postgres://db/x', USI_ENV: '3pt' });
    expect(plan).toEqual({ selfContained: false, inProcessSimulator: false, defaults: {} });
    expect(planStartup({ DATABASE_URL: 'postgres://db/x', USI_SIM_URL: 'http://sim:7300' }).selfContained).toBe(false);
  });

  it('fails fast with a readable message when DATABASE_URL is set and the simulator has no URL', () => {
    for (const env of [{ DATABASE_URL: 'postgres://db/x' }, { DATABASE_URL: 'postgres://db/x', USI_ENV: 'sim' }]) {
      expect(() => planStartup(env)).toThrow(
        expect.objectContaining({ code: 'bootstrap.sim_url_missing', message: expect.stringContaining('USI_SIM_URL') }),
      );
    }
  });
});
