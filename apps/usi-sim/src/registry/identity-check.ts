import type { DvsDocument, IdentityDocumentVerified } from '@usi/contract';
import { dvsVerifies } from './dvs-mock';

/**
 * Outcome of the identity step shared by CreateUSI, BulkUpload and UpdateUSIPersonalDetails. A DVS check without a
 * document cannot succeed, so it counts as unverified rather than as a schema error.
 */
export function identityCheck(dvsCheckRequired: boolean, doc: DvsDocument | undefined): IdentityDocumentVerified {
  if (!dvsCheckRequired) return 'NotRequired';
  return doc !== undefined && dvsVerifies(doc) ? 'True' : 'False';
}
