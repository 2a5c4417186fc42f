import { Inject, Injectable } from '@nestjs/common';
import { Envelope, KEY_PROVIDER, KeyProvider } from '../../keys/key-provider';
import { EndpointRow } from './webhook-endpoint.types';

/**
 * Webhook signing secrets as key-provider envelopes (like credentials' private keys). The encryption context binds an
 * envelope to its vendor and endpoint, so a secret copied to another row does not open.
 */
@Injectable()
export class WebhookSecrets {
  constructor(@Inject(KEY_PROVIDER) private readonly keys: KeyProvider) {}

  seal(vendorId: string, endpointId: string, secret: string): Promise<Envelope> {
    return this.keys.encrypt(Buffer.from(secret, 'utf8'), context(vendorId, endpointId));
  }

  /** The secrets that sign a delivery now: the current one, and the previous one during a rotation's overlap. */
  async signing(row: EndpointRow, now: Date): Promise<string[]> {
    const envelopes = [row.secretEnvelope];
    if (row.previousSecretEnvelope && row.previousSecretExpiresAt && row.previousSecretExpiresAt > now) {
      envelopes.push(row.previousSecretEnvelope);
    }
    const opened = await Promise.all(envelopes.map((e) => this.keys.decrypt(e, context(row.vendorId, row.id))));
    return opened.map((b) => b.toString('utf8'));
  }
}

const context = (vendorId: string, endpointId: string) => ({ vendorId, endpointId, purpose: 'webhook_secret' });
