import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_SIM_URL } from '@usi/client';
import { AppError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';

const DEADLINE_MS = 5_000;

/**
 * The simulator's admin API, for the demo's "Add this notification in the simulated RAM": it registers the
 * organisation with the simulated USI Registry and the cloud software notification with the simulated RAM, what a
 * provider does by hand in the real ones. Exists only when the upstream is the simulator (USI_ENV=sim); with 3PT or
 * production, `available` is false and every call is refused before any request.
 */
@Injectable()
export class SimulatedRamClient {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get available(): boolean {
    return this.config.usi.env === 'sim';
  }

  async addNotification(input: {
    orgCode: string;
    providerAbn: string;
    legalName: string;
    vendorAbn: string;
    softwareId: string;
  }): Promise<void> {
    if (!this.available) throw new AppError('provider.simulator_only', 'The simulated RAM exists only with the USI simulator');
    await this.post('/admin/organisations', { orgCode: input.orgCode, abn: input.providerAbn, name: input.legalName.slice(0, 200), kind: 'cloud' });
    await this.post('/admin/notifications', { vendorAbn: input.vendorAbn, providerAbn: input.providerAbn, softwareId: input.softwareId });
  }

  private async post(path: string, body: unknown): Promise<void> {
    const base = (this.config.usi.simUrl ?? DEFAULT_SIM_URL).replace(/\/$/, '');
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(DEADLINE_MS),
      });
    } catch {
      throw new AppError('provider.simulator_failed', 'The simulator did not answer; try again');
    }
    if (!res.ok) throw new AppError('provider.simulator_failed', `The simulator refused the change (HTTP ${res.status})`);
  }
}
