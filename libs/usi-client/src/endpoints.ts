import { DEFAULT_SERVICE_VERSION, type UsiServiceVersion } from '@usi/contract';

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

/** Hosts per environment; the USI path comes from the web-service version (`UsiServiceVersion.endpointPath`). */
const PRESETS: Record<Exclude<UsiEnvironment, 'sim'>, { stsUrl: string; usiOrigin: string }> = {
  '3pt': {
    stsUrl: `https://softwareauthorisations.evte.ato.gov.au${STS_PATH}`,
    usiOrigin: 'https://3pt.portal.usi.gov.au',
  },
  production: {
    stsUrl: `https://softwareauthorisations.ato.gov.au${STS_PATH}`,
    usiOrigin: 'https://portal.usi.gov.au',
  },
};

export function isUsiEnvironment(value: string): value is UsiEnvironment {
  return (USI_ENVIRONMENTS as readonly string[]).includes(value);
}

/**
 * The simulator mounts the same paths as the real services under one base URL, so only the origin changes; its
 * AppliesTo is its own USI URL because that is the relying party it checks tokens against. The USI path is the
 * version's (default v5). AppliesTo is a setting of its own: it defaults to the USI URL called, whatever the version,
 * and an override is kept as given (the STS may know a version's service under another relying-party URL).
 */
export function resolveEndpoints(
  env: UsiEnvironment,
  overrides: EndpointOverrides = {},
  version: UsiServiceVersion = DEFAULT_SERVICE_VERSION,
): Endpoints {
  const preset = env === 'sim' ? simPreset(overrides.simUrl ?? DEFAULT_SIM_URL) : PRESETS[env];
  const stsUrl = overrides.stsUrl ?? preset.stsUrl;
  const usiUrl = overrides.usiUrl ?? `${preset.usiOrigin}${version.endpointPath}`;
  return { stsUrl, usiUrl, appliesTo: overrides.appliesTo ?? usiUrl };
}

function simPreset(baseUrl: string): { stsUrl: string; usiOrigin: string } {
  const base = baseUrl.replace(/\/+$/, '');
  return { stsUrl: `${base}${STS_PATH}`, usiOrigin: base };
}
