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
  organisationId: null,
  keyProvider: 'local',
  activatedAt: '2026-02-01T09:30:00.000Z',
  supersededAt: null,
  revokedAt: null,
  lastCheck: { at: '2026-02-01T09:30:00.000Z', ok: true },
  warnings: [],
  createdBy: 'api_key:3f2a…',
  createdAt: '2026-02-01T09:30:00.000Z',
};

/** An upload whose token check failed: stored, not serving, the reason in plain words. */
export const PENDING_EXAMPLE: CredentialView = {
  ...CREDENTIAL_EXAMPLE,
  status: 'pending',
  activatedAt: null,
  lastCheck: {
    at: '2026-02-01T09:30:00.000Z',
    ok: false,
    code: 'sts.fault',
    reason: 'certificate_not_accepted',
    message:
      'The ATO token service did not accept the certificate: it is not trusted in this environment, or it has been revoked or has expired at the ATO. …',
    upstream: { code: 'FailedAuthentication', title: 'STS fault', message: 'The security token could not be authenticated or authorized.' },
  },
};

export const RENEWAL_EXAMPLE = {
  credential: { id: CREDENTIAL_EXAMPLE.id, credentialId: CREDENTIAL_EXAMPLE.credentialId, name: 'INGLETON153', abn: '11000002568', notAfter: CREDENTIAL_EXAMPLE.notAfter },
  daysLeft: 29,
  expired: false,
  method: 'manual',
  automated: false,
  upload: { method: 'POST', path: '/v1/credentials' },
  steps: [
    "Log in to the ATO's Relationship Authorisation Manager (RAM) as the principal authority or a machine credential administrator of your business (ABN 11000002568).",
    'Create a new machine credential named exactly "INGLETON153" — the same name as the expiring one — so the permissions linked to that name carry over and none have to be granted again.',
    'Choose a keystore password, then download the keystore (keystore.xml).',
    'Upload it here: POST /v1/credentials with the keystore file, credentialId "ABRD:11000002568_INGLETON153" and the password (used once, never stored).',
    'The gateway asks the ATO token service for a token with it first: …',
  ],
  notes: ['Automated renewal through the ATO credential-management service is not offered: its protocol is not publicly specified.'],
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
