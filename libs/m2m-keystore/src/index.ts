export { KeystoreError, type KeystoreErrorCode } from './keystore.error';
export type {
  CredentialSummary,
  ListCredentialsOptions,
  LoadCredentialOptions,
  LoadedCredential,
  MachineCredential,
} from './keystore.types';
export { checkKeystorePassword, listCredentials, loadCredential } from './reader/keystore.reader';
export { CREDENTIAL_STORE_NS, MAX_KEYSTORE_BYTES } from './reader/keystore-document.parser';
export { writeKeystore, type KeystoreEntry } from './writer/keystore.writer';
export {
  createTestCa,
  TestCa,
  type IssueMachineCredentialOptions,
  type IssuedCredential,
  type TestCaOptions,
} from './test-ca/test-ca';
