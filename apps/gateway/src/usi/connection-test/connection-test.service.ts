import { Injectable } from '@nestjs/common';
import { UsiError } from '@usi/contract';
import { AppError } from '../../common/errors/app-error';
import { UsiTarget } from '../access/organisation-access.service';
import { RamGuidance } from '../access/ram-guidance';
import { UsiService } from '../usi.service';
import { ConnectionTestRepository } from './connection-test.repository';

export interface ConnectionTestResponse {
  ok: boolean;
  status: string;
  testedAt: string;
  softwareId: string;
  vendorAbn: string;
  detail?: { code: string; message: string; upstream?: unknown; guidance?: RamGuidance };
}

/**
 * Proves the whole chain for one organisation: vendor credential → STS with ActAs (the RAM notification) →
 * GetNonDvsDocumentTypes under the organisation's code. Success activates a pending authorisation; a missing
 * notification sends it back to pending. Other failures (outages) are recorded but leave the status alone.
 */
@Injectable()
export class ConnectionTestService {
  constructor(
    private readonly usi: UsiService,
    private readonly repository: ConnectionTestRepository,
  ) {}

  async run(target: UsiTarget): Promise<ConnectionTestResponse> {
    const { authorisation } = target;
    const testedAt = new Date();
    const base = { softwareId: authorisation.softwareId, vendorAbn: target.vendorAbn, testedAt: testedAt.toISOString() };
    try {
      await this.usi.call('GetNonDvsDocumentTypes', target, { orgCode: target.organisation.orgCode });
    } catch (err) {
      if (!(err instanceof UsiError)) throw err;
      const extensions = (err instanceof AppError ? err.extensions : undefined) ?? {};
      const next = err.code === 'sts.notification_missing' ? 'pending' : authorisation.status;
      const status = await this.repository.record(target.vendorId, authorisation.id, next, testedAt, {
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
    const status = await this.repository.record(target.vendorId, authorisation.id, 'active', testedAt, {
      ok: true,
      environment: this.usi.environment,
    });
    return { ok: true, status: status ?? authorisation.status, ...base };
  }
}
