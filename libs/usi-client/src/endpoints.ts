export type UsiEnvironment = 'sim' | '3pt' | 'production';

export interface Endpoints {
  stsUrl: string;
  usiUrl: string;
  /** The relying party the STS scopes the token to; defaults to the USI URL being called (m2m-sts.md §1). */
  appliesTo: string;
}

export type EndpointOverrides = Partial<Endpoints> & { simUrl?: string };

export const USI_ENVIRONMENTS: readonly UsiEnvironment[] = ['sim', '3pt', 'production'];

export const DEFAULT_SIM_URL = 'http://127.0.0.1:7300';

const STS_PATH = '/R3.0/S007v1.3/service.svc';
const USI_PATH = '/service/v5/usiservice.svc';

const PRESETS: Record<Exclude<UsiEnvironment, 'sim'>, { stsUrl: string; usiUrl: string }> = {
  '3pt': {
    stsUrl: `https://softwareauthorisations.evte.ato.gov.au${STS_PATH}`,
    usiUrl: `https://3pt.portal.usi.gov.au${USI_PATH}`,
  },
  production: {
    stsUrl: `https://softwareauthorisations.ato.gov.au${STS_PATH}`,
    usiUrl: `https://portal.usi.gov.au${USI_PATH}`,
  },
};

export function isUsiEnvironment(value: string): value is UsiEnvironment {
  return (USI_ENVIRONMENTS as readonly string[]).includes(value);
}

/**
 * The simulator mounts the same paths as the real services under one base URL, so only the origin changes; its
 * AppliesTo is its own USI URL because that is the relying party it checks tokens against.
 */
export function resolveEndpoints(env: UsiEnvironment, overrides: EndpointOverrides = {}): Endpoints {
  const preset = env === 'sim' ? simPreset(overrides.simUrl ?? DEFAULT_SIM_URL) : PRESETS[env];
  const stsUrl = overrides.stsUrl ?? preset.stsUrl;
  const usiUrl = overrides.usiUrl ?? preset.usiUrl;
  return { stsUrl, usiUrl, appliesTo: overrides.appliesTo ?? usiUrl };
}

function simPreset(baseUrl: string): { stsUrl: string; usiUrl: string } {
  const base = baseUrl.replace(/\/+$/, '');
  return { stsUrl: `${base}${STS_PATH}`, usiUrl: `${base}${USI_PATH}` };
}
