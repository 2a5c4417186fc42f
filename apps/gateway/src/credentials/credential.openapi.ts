import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { CredentialView } from './credential.view';

/** The 3PT vendor identity from the public ATO test keystore: safe to show in documentation. */
export const CREDENTIAL_EXAMPLE: CredentialView = {
  id: '5b0f6c1e-8d3a-4a53-9d0e-2f1f0c7e9a11',
  credentialId: 'ABRD:11000002568_INGLETON153',
  abn: '11000002568',
  legalName: 'INGLETON153',
  serialNumber: '1234567890',
  sha1Fingerprint: 'q1Yx0m2oT3…=',
  notBefore: '2025-01-01T00:00:00.000Z',
  notAfter: '2027-01-01T00:00:00.000Z',
  status: 'active',
  keyProvider: 'local',
  activatedAt: '2026-02-01T09:30:00.000Z',
  supersededAt: null,
  revokedAt: null,
  createdBy: 'api_key:3f2a…',
  createdAt: '2026-02-01T09:30:00.000Z',
};

export const UPLOAD_JSON_EXAMPLE = {
  credentialId: 'ABRD:11000002568_INGLETON153',
  password: '<keystore password>',
  keystoreXml: '<?xml version="1.0" encoding="utf-8"?><credentialStore …>…</credentialStore>',
};

/** Both encodings share the fields; the keystore comes as a `keystore` file part or as `keystoreXml` text. */
export const UPLOAD_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['credentialId', 'password'],
  properties: {
    credentialId: { type: 'string', maxLength: 200, description: 'Keystore alias, ABRD:<ABN>_<name>' },
    password: { type: 'string', maxLength: 1000, description: 'Used once to decrypt the key; never stored' },
    keystore: { type: 'string', format: 'binary', description: 'multipart only: keystore.xml (at most 1 MiB)' },
    keystoreXml: { type: 'string', description: 'JSON only: the keystore.xml text (at most 1 MiB)' },
  },
};
