import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { Clock, CLOCK, systemClock } from '../../common/clock';
import { NotFoundError, ValidationError } from '../../common/errors/app-error';
import { decodeCursor, Page, PageQuery, toPage } from '../../common/pagination/cursor';
import { Principal } from '../../common/request-context/principal';
import { SecurityEvents } from '../../common/security-events/security-events';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { VendorId } from '../../database/vendor-id';
import { checkAddress } from '../delivery/address-guard';
import { urlProblem } from '../delivery/webhook-http.sender';
import { generateWebhookSecret } from '../signing/webhook-signer';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { CreateEndpointInput, endpointView, EndpointView, UpdateEndpointInput } from './webhook-endpoint.types';
import { WebhookSecrets } from './webhook-secrets';

/** The secret in clear, in the one answer that shows it (creation, rotation). */
export type EndpointWithSecret = EndpointView & { secret: string };

/**
 * A vendor's webhook endpoints. Who may call is the access policy's (management access, vendor-wide); this scopes
 * every read and write to the caller's vendor, so another vendor's endpoint is a 404 like one that does not exist.
 */
@Injectable()
export class WebhookEndpointsService {
  private readonly now: Clock;

  constructor(
    private readonly repository: WebhookEndpointRepository,
    private readonly secrets: WebhookSecrets,
    private readonly audit: SecurityEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.now = clock ?? systemClock;
  }

  async create(vendorId: VendorId, principal: Principal, input: CreateEndpointInput): Promise<EndpointWithSecret> {
    this.assertUrl(input.url);
    const id = randomUUID();
    const secret = generateWebhookSecret();
    const row = await this.repository.insert(vendorId, {
      id,
      url: input.url,
      description: input.description ?? null,
      eventTypes: [...new Set(input.eventTypes)],
      secret: await this.secrets.seal(vendorId, id, secret),
      createdBy: principal.actorId,
    });
    await this.audit.recordSecurityEvent({ type: 'webhook_endpoint.created', vendorId, actor: principal, details: { endpointId: id } });
    return { ...endpointView(row, this.now()), secret };
  }

  async list(vendorId: VendorId, page: PageQuery): Promise<Page<EndpointView>> {
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    const rows = await this.repository.list(vendorId, page.limit + 1, after);
    const now = this.now();
    const found = toPage(rows, page.limit);
    return { ...found, items: found.items.map((r) => endpointView(r, now)) };
  }

  async get(vendorId: VendorId, id: string): Promise<EndpointView> {
    const row = await this.repository.find(vendorId, id);
    if (!row) throw new NotFoundError('webhook_endpoint');
    return endpointView(row, this.now());
  }

  async update(vendorId: VendorId, principal: Principal, id: string, changes: UpdateEndpointInput): Promise<EndpointView> {
    if (changes.url !== undefined) this.assertUrl(changes.url);
    const row = await this.repository.update(vendorId, id, {
      ...changes,
      ...(changes.eventTypes ? { eventTypes: [...new Set(changes.eventTypes)] } : {}),
    });
    if (!row) throw new NotFoundError('webhook_endpoint');
    await this.audit.recordSecurityEvent({
      type: 'webhook_endpoint.updated',
      vendorId,
      actor: principal,
      details: { endpointId: id, fields: Object.keys(changes) },
    });
    return endpointView(row, this.now());
  }

  async delete(vendorId: VendorId, principal: Principal, id: string): Promise<void> {
    if (!(await this.repository.delete(vendorId, id))) throw new NotFoundError('webhook_endpoint');
    await this.audit.recordSecurityEvent({ type: 'webhook_endpoint.deleted', vendorId, actor: principal, details: { endpointId: id } });
  }

  /** A new secret; the previous one keeps signing (both signatures sent) until the overlap ends. */
  async rotateSecret(vendorId: VendorId, principal: Principal, id: string): Promise<EndpointWithSecret> {
    const secret = generateWebhookSecret();
    const until = new Date(this.now().getTime() + this.config.webhooks.secretOverlapMs);
    const row = await this.repository.rotate(vendorId, id, await this.secrets.seal(vendorId, id, secret), until);
    if (!row) throw new NotFoundError('webhook_endpoint');
    await this.audit.recordSecurityEvent({
      type: 'webhook_endpoint.secret_rotated',
      vendorId,
      actor: principal,
      details: { endpointId: id, previousSecretExpiresAt: until.toISOString() },
    });
    return { ...endpointView(row, this.now()), secret };
  }

  /**
   * Checked at registration for a clear 400: the URL's form, and a host written as an IP address the SSRF guard
   * refuses (loopback, private, link-local, metadata). A host name's addresses are checked at every delivery (DNS changes).
   */
  private assertUrl(url: string): void {
    const problem = urlProblem(url, this.config.webhooks.requireHttps);
    if (problem) throw new ValidationError([{ path: 'url', code: 'invalid_url', message: `The URL ${problem}` }]);
    const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
    const verdict = checkAddress(host, { allowLoopback: this.config.webhooks.allowLoopback });
    if (!verdict.allowed && verdict.reason !== 'not_an_ip') {
      const what = verdict.reason === 'loopback' ? 'a loopback address' : 'a private or reserved address (internal network, link-local, cloud metadata)';
      throw new ValidationError([{ path: 'url', code: 'forbidden_address', message: `The URL must not point to ${what}: deliveries go to public addresses only` }]);
    }
  }
}
