import { V6_DRAFT } from '@usi/contract';
import { resolveEndpoints } from './endpoints';

describe('resolveEndpoints', () => {
  it('uses the 3PT evte STS and the v5 USI URL as AppliesTo', () => {
    expect(resolveEndpoints('3pt')).toEqual({
      stsUrl: 'https://softwareauthorisations.evte.ato.gov.au/R3.0/S007v1.3/service.svc',
      usiUrl: 'https://3pt.portal.usi.gov.au/service/v5/usiservice.svc',
      appliesTo: 'https://3pt.portal.usi.gov.au/service/v5/usiservice.svc',
    });
  });

  it('uses the production hosts', () => {
    const e = resolveEndpoints('production');
    expect(e.stsUrl).toBe('https://softwareauthorisations.ato.gov.au/R3.0/S007v1.3/service.svc');
    expect(e.usiUrl).toBe('https://portal.usi.gov.au/service/v5/usiservice.svc');
    expect(e.appliesTo).toBe(e.usiUrl);
  });

  it('mounts the simulator paths under its base URL, ignoring a trailing slash', () => {
    expect(resolveEndpoints('sim', { simUrl: 'http://localhost:9999/' })).toEqual({
      stsUrl: 'http://localhost:9999/R3.0/S007v1.3/service.svc',
      usiUrl: 'http://localhost:9999/service/v5/usiservice.svc',
      appliesTo: 'http://localhost:9999/service/v5/usiservice.svc',
    });
    expect(resolveEndpoints('sim').stsUrl).toBe('http://127.0.0.1:7300/R3.0/S007v1.3/service.svc');
  });

  it('lets every URL be overridden; AppliesTo follows an overridden USI URL unless set itself', () => {
    const e = resolveEndpoints('3pt', { usiUrl: 'https://x/usi', stsUrl: 'https://x/sts' });
    expect(e).toEqual({ stsUrl: 'https://x/sts', usiUrl: 'https://x/usi', appliesTo: 'https://x/usi' });
    expect(resolveEndpoints('3pt', { appliesTo: 'https://3pt.portal.usi.gov.au/service/usiservice.svc' }).appliesTo).toBe(
      'https://3pt.portal.usi.gov.au/service/usiservice.svc',
    );
  });

  it("takes the USI path from the web-service version; an AppliesTo override is kept as given", () => {
    expect(resolveEndpoints('3pt', {}, V6_DRAFT).usiUrl).toBe('https://3pt.portal.usi.gov.au/service/v6/usiservice.svc');
    expect(resolveEndpoints('sim', { simUrl: 'http://localhost:9999' }, V6_DRAFT)).toMatchObject({
      usiUrl: 'http://localhost:9999/service/v6/usiservice.svc',
      appliesTo: 'http://localhost:9999/service/v6/usiservice.svc',
    });
    const v5AppliesTo = 'https://3pt.portal.usi.gov.au/service/v5/usiservice.svc';
    expect(resolveEndpoints('3pt', { appliesTo: v5AppliesTo }, V6_DRAFT).appliesTo).toBe(v5AppliesTo);
  });
});
