import { ERROR_INFO_NS, USI_NS } from '../constants';
import type { UsiServiceVersion } from './service-version';

/** The current version (usi-contract.md §1): published v5 WSDL, every current official sample. */
export const V5: UsiServiceVersion = {
  id: 'v5',
  label: '5.0',
  namespace: USI_NS,
  errorInfoNamespace: ERROR_INFO_NS,
  actionPrefix: `${USI_NS}/`,
  endpointPath: '/service/v5/usiservice.svc',
  schemaDelta: { changes: [] },
  complete: true,
  evidence: [
    'Published 3PT and production WSDL (Version: 5.0); the schema tables of @usi/contract are read from it.',
    'ErrorInfo kept the v4 namespace http://usi.gov.au/2020/ws.',
  ],
};
