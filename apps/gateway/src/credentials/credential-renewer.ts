/**
 * How an expiring machine credential gets renewed.
 *
 * Only the manual route is implemented, on purpose. The ATO's SDK has a credential-management service that renews
 * a credential in place (the Java AKM's `renew(password)`), but its protocol is not publicly specified
 * (m2m-sts.md: "Renewal is not implementable without the SDK"), so anything claiming to automate it here would be
 * fake. `ManualCredentialRenewer` gives the steps the USI Registrar advises: a new credential created in RAM with
 * exactly the same name, downloaded and uploaded to the gateway, which checks it before it takes over.
 */
export interface CredentialRenewer {
  /** Always `'manual'` today; a future automated renewer would say so here. */
  readonly kind: 'manual';
  plan(input: RenewalInput): RenewalPlan;
}

export const CREDENTIAL_RENEWER = Symbol('CREDENTIAL_RENEWER');

export interface RenewalInput {
  /** m2m_credentials row id. */
  id: string;
  /** Keystore alias `ABRD:<ABN>_<name>`. */
  credentialId: string;
  abn: string;
  notAfter: Date;
  /** The organisation's code for a direct-mode credential; absent for the vendor's own. */
  orgCode?: string;
  now: Date;
}

export interface RenewalPlan {
  credential: { id: string; credentialId: string; name: string; abn: string; notAfter: string };
  daysLeft: number;
  expired: boolean;
  /** Manual: a person does it in RAM. */
  method: 'manual';
  automated: false;
  /** Where the renewed keystore goes. */
  upload: { method: 'POST'; path: string };
  steps: string[];
  notes: string[];
}

const DAY_MS = 86_400_000;

/** The RAM credential name: the alias after `ABRD:<ABN>_` (what the RAM administrator typed when creating it). */
export function credentialName(alias: string): string {
  const match = /^ABRD:\d{11}_(.+)$/.exec(alias);
  return match ? match[1] : alias;
}

export class ManualCredentialRenewer implements CredentialRenewer {
  readonly kind = 'manual' as const;

  plan(input: RenewalInput): RenewalPlan {
    const name = credentialName(input.credentialId);
    const path = input.orgCode ? `/v1/organisations/${input.orgCode}/credentials` : '/v1/credentials';
    const whose = input.orgCode ? `organisation ${input.orgCode} (ABN ${input.abn})` : `your business (ABN ${input.abn})`;
    const msLeft = input.notAfter.getTime() - input.now.getTime();
    return {
      credential: { id: input.id, credentialId: input.credentialId, name, abn: input.abn, notAfter: input.notAfter.toISOString() },
      daysLeft: Math.floor(msLeft / DAY_MS),
      expired: msLeft <= 0,
      method: 'manual',
      automated: false,
      upload: { method: 'POST', path },
      steps: [
        `Log in to the ATO's Relationship Authorisation Manager (RAM) as the principal authority or a machine credential administrator of ${whose}.`,
        `Create a new machine credential named exactly "${name}" — the same name as the expiring one — so the permissions linked to that name carry over and none have to be granted again.`,
        'Choose a keystore password, then download the keystore (keystore.xml).',
        `Upload it here: POST ${path} with the keystore file, credentialId "ABRD:${input.abn}_${name}" and the password (used once, never stored).`,
        'The gateway asks the ATO token service for a token with it first: only when that succeeds does it become active, and the current credential keeps serving until then. If the check fails, the upload stays pending with the reason; fix it and retry with POST /v1/credentials/{id}/check.',
      ],
      notes: [
        'Automated renewal through the ATO credential-management service is not offered: its protocol is not publicly specified.',
        'A credential created under another name is accepted with a warning: its permissions must then be granted again in RAM.',
      ],
    };
  }
}
