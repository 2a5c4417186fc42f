import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/request-context/principal';
import { providerScope } from '../provider-principal';
import { ActivityDay, ProviderActivityRepository, RecentCall } from './provider-activity.repository';

export interface ProviderActivity {
  days: ActivityDay[];
  recent: RecentCall[];
  totals: { calls: number; errors: number };
}

/** The last 30 days of the provider's own calls, for its organisation page (admins and viewers alike). */
@Injectable()
export class ProviderActivityService {
  constructor(private readonly repository: ProviderActivityRepository) {}

  async activity(principal: Principal): Promise<ProviderActivity> {
    const { vendorId, organisationId } = providerScope(principal);
    const [days, recent] = await Promise.all([
      this.repository.byDay(vendorId, organisationId),
      this.repository.recent(vendorId, organisationId),
    ]);
    const totals = days.reduce((t, d) => ({ calls: t.calls + d.calls, errors: t.errors + d.errors }), { calls: 0, errors: 0 });
    return { days, recent, totals };
  }
}
