import { Injectable } from '@nestjs/common';
import { UsiError } from '@usi/contract';
import { AppError } from '../../common/errors/app-error';
import { WebhookEvents } from '../../common/webhook-events/webhook-events';
import { UsiTarget } from '../access/organisation-access.service';
import { RamGuidance } from '../../upstream/ram-guidance';
import { UsiService } from '../usi.service';
import { ConnectionTestRepository } from './connection-test.repository';

export interface ConnectionTestResponse {
  ok: boolean;
  /** The authorisation's status after the test; `direct` when the organisation connects with its own credential. */
  status: string;
  connectionMode: 'my_cloud' | 'direct';
  testedAt: string;
  /** Null in direct mode (no ActAs, so no software ID). */
  softwareId: string | null;
  vendorAbn: string;
  detail?: { code: string; message: string; upstream?: unknown; guidance?: RamGuidance };
}

/**
 * Proves the whole chain for one organisation: vendor credential → STS with ActAs (the RAM notification) →
 * GetNonDvsDocumentTypes under the organisation's code. Success activates a pending authorisation; a missing
 * notification sends it back to pending. Other failures (outages) are recorded but leave the status alone.
 * In direct mode the chain is the organisation's own credential → STS without ActAs → the same call; there is no
 * authorisation to move, so the result is only answered.
 */
@Injectable()
export class ConnectionTestService {
  constructor(
    private readonly usi: UsiService,
    private readonly repository: ConnectionTestRepository,
    private readonly webhooks: WebhookEvents,
  ) {}

  async run(target: UsiTarget): Promise<ConnectionTestResponse> {
    const { authorisation } = target;
    const result =
      target.organisation.connectionMode === 'direct' || !authorisation ? await this.runDirect(target) : await this.runMyCloud(target, authorisation);
    await this.announce(target, result);
    return result;
  }

  /** Webhooks, once the outcome is recorded: a failed test, or an authorisation the test made active. */
  private async announce(target: UsiTarget, result: ConnectionTestResponse): Promise<void> {
    const { organisation, authorisation } = target;
    const about = { organisationId: organisation.id, orgCode: organisation.orgCode, connectionMode: result.connectionMode };
    if (!result.ok) {
      await this.webhooks.emit(target.vendorId, 'connection_test.failed', {
        ...about,
        authorisationId: authorisation?.id ?? null,
        code: result.detail?.code ?? null,
      });
    } else if (authorisation && authorisation.status !== 'active' && result.status === 'active') {
      await this.webhooks.emit(target.vendorId, 'authorisation.activated', { ...about, authorisationId: authorisation.id, status: 'active' });
    }
  }

  private async runMyCloud(target: UsiTarget, authorisation: NonNullable<UsiTarget['authorisation']>): Promise<ConnectionTestResponse> {
    const testedAt = new Date();
    const base = {
      connectionMode: 'my_cloud' as const,
      softwareId: authorisation.softwareId,
      vendorAbn: target.vendorAbn,
      testedAt: testedAt.toISOString(),
    };
    try {
      await this.usi.call('GetNonDvsDocumentTypes', target, { orgCode: target.organisation.orgCode });
    } catch (err) {
      if (!(err instanceof UsiError)) throw err;
      const extensions = (err instanceof AppError ? err.extensions : undefined) ?? {};
      const next = err.code === 'sts.notification_missing' ? 'pending' : authorisation.status;
      const status = await this.repository.record(target.vendorId, authorisation, next, testedAt, {
        ok: false,
        code: err.code,
        detail: err.message,
        environment: this.usi.environment,
      });
      return {
        ok: false,
        status: status ?? authorisation.status,
        ...base,
        detail: {
          code: err.code,
          message: err.message,
          ...(extensions.upstream ? { upstream: extensions.upstream } : {}),
          ...(extensions.guidance ? { guidance: extensions.guidance as RamGuidance } : {}),
        },
      };
    }
    const status = await this.repository.record(target.vendorId, authorisation, 'active', testedAt, {
      ok: true,
      environment: this.usi.environment,
    });
    return { ok: true, status: status ?? authorisation.status, ...base };
  }

  private async runDirect(target: UsiTarget): Promise<ConnectionTestResponse> {
    const testedAt = new Date();
    const base = { status: 'direct', connectionMode: 'direct' as const, softwareId: null, vendorAbn: target.vendorAbn, testedAt: testedAt.toISOString() };
    try {
      await this.usi.call('GetNonDvsDocumentTypes', target, { orgCode: target.organisation.orgCode });
      return { ok: true, ...base };
    } catch (err) {
      if (!(err instanceof UsiError)) throw err;
      const extensions = (err instanceof AppError ? err.extensions : undefined) ?? {};
      return {
        ok: false,
        ...base,
        detail: { code: err.code, message: err.message, ...(extensions.upstream ? { upstream: extensions.upstream } : {}) },
      };
    }
  }
}
