import { Inject, Injectable } from '@nestjs/common';
import { OperationRequest, OperationResponse, UsiOperation, UsiServiceVersion } from '@usi/contract';
import { CallContext, issuedUsiOf } from '@usi/client';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../common/errors/app-error';
import { TenantContext } from '../common/request-context/tenant-context.service';
import { CredentialVault } from '../credentials/credential-vault.service';
import { UsiTarget } from './access/organisation-access.service';
import { ramGuidance } from '../upstream/ram-guidance';
import { isRetryableUpstream, mapUpstreamError } from '../upstream/upstream-error.mapper';
import { USI_UPSTREAM, UsiUpstream } from '../upstream/usi-upstream';
import { UpstreamAlerts } from '../upstream/upstream-alerts';

/**
 * Reads may be repeated safely; writes never are (a retried CreateUSI could create a second record). A read's audit
 * `started` row need only have reached Postgres when the call goes out; a write's must have committed.
 */
const READ_ONLY: ReadonlySet<UsiOperation> = new Set(['VerifyUSI', 'BulkVerifyUSI', 'LocateUSI', 'GetCountries', 'GetNonDvsDocumentTypes']);

/**
 * Calls the registry for a resolved target: vendor credential, ActAs, audit observer, retries, error mapping. The
 * circuit breakers (one per endpoint) sit inside the client, around each STS and USI exchange (`UsiUpstream`).
 */
@Injectable()
export class UsiService {
  constructor(
    @Inject(USI_UPSTREAM) private readonly upstream: UsiUpstream,
    private readonly vault: CredentialVault,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    private readonly alerts: UpstreamAlerts,
  ) {}

  get environment(): string {
    return this.upstream.environment;
  }

  /** The web-service version spoken: its schema validates the REST bodies. */
  get version(): UsiServiceVersion {
    return this.upstream.version;
  }

  async call<O extends UsiOperation>(op: O, target: UsiTarget, request: OperationRequest<O>): Promise<OperationResponse<O>> {
    const { upstream } = this;
    const deadline = Date.now() + upstream.timeoutMs;
    const requestId = this.context.requestId ?? 'internal';
    const fields = this.context.auditFields;
    const { organisation, authorisation } = target;
    const direct = organisation.connectionMode === 'direct';
    try {
      // Direct mode: the organisation's own credential, no ActAs. My Cloud: the vendor's, acting for the organisation.
      // An expired credential is refused here, before any STS request.
      const credential = direct
        ? await this.vault.getActiveFor({ vendorId: target.vendorId, organisation })
        : await this.vault.getActive(target.vendorId);
      const observer = this.audit.exchangeObserver({
        requestId,
        vendorId: target.vendorId,
        organisationId: organisation.id,
        environment: upstream.environment,
        usi: fields.usi,
        recordCount: fields.recordCount,
        readOnly: READ_ONLY.has(op),
        credential: { sha1Fingerprint: credential.sha1Fingerprint, connectionMode: organisation.connectionMode },
      });
      const ctx: CallContext = {
        credential,
        ...(direct || !authorisation
          ? {}
          : { actAs: { firstPartyAbn: target.vendorAbn, secondPartyAbn: organisation.abn, ssid: authorisation.softwareId } }),
        deadline,
        requestId,
      };
      const response = await upstream.retry.run(() => upstream.observer.run(observer, () => upstream.client.call(op, ctx, request)), {
        retryable: isRetryableUpstream,
        deadline,
        enabled: READ_ONLY.has(op),
      });
      // The inbound event carries the USI the registry returned too (HMAC and mask only), like a USI in the path.
      const issued = issuedUsiOf(op, response);
      if (issued) this.context.setAuditFields({ usi: issued });
      return response;
    } catch (err) {
      const mapped = mapUpstreamError(err, {
        guidance: ramGuidance({
          orgCode: organisation.orgCode,
          vendorAbn: target.vendorAbn,
          softwareId: authorisation?.softwareId ?? '',
        }),
        clockOffsetMs: upstream.monitor.clockOffsetMs,
        serviceVersion: upstream.version.id,
      });
      if (mapped instanceof AppError && mapped.code === 'upstream.version_outdated') await this.alerts.versionOutdated(upstream);
      throw mapped;
    }
  }
}
