import { ERROR_INFO_NS } from '../constants';
import type { UsiServiceVersion } from './service-version';

const V6_NS = 'http://usi.gov.au/2026/ws';

/**
 * A draft, from the only evidence there is: request templates in an unmerged commit of the official PHP sample
 * (usi-contract.md §1, S4 `ea0d0db`) whose elements match v5's, and a 3PT endpoint in its configuration. No WSDL has
 * been published, so the gateway only uses it against the simulator (docs/SERVICE-VERSIONS.md).
 */
export const V6_DRAFT: UsiServiceVersion = {
  id: 'v6',
  label: '6.0 (draft)',
  namespace: V6_NS,
  errorInfoNamespace: ERROR_INFO_NS,
  actionPrefix: `${V6_NS}/`,
  endpointPath: '/service/v6/usiservice.svc',
  schemaDelta: { changes: ['None known: the unreleased templates match v5 element for element.'] },
  complete: false,
  evidence: [
    'Namespace and 3PT endpoint path seen only in an unreleased sample (eric-git/PHPApp ea0d0db).',
    'Unknown: the schema changes, the fault-detail namespace (assumed 2020/ws as in v5), the production endpoint, whether the STS accepts the v6 URL as AppliesTo.',
  ],
};
