import { NewNotification } from '../notification.store';
import { Organisation } from '../organisation.store';

/** The 3PT organisations (shared/fixtures/README.md). */
export const SEED_ORGANISATIONS: Organisation[] = [
  { orgCode: 'VA1803', abn: '27809366375', name: 'USIMachine Test RTO', kind: 'direct', webServiceAccess: true },
  { orgCode: 'VA1802', abn: '96312011219', name: 'Cloud Test Training Provider', kind: 'cloud', webServiceAccess: true },
];

/** Vendor 11000002568 (INGLETON153) may act for provider 96312011219 with software ID 0000123400. */
export const SEED_NOTIFICATIONS: NewNotification[] = [
  { vendorAbn: '11000002568', providerAbn: '96312011219', softwareId: '0000123400', startDate: '2020-01-01', status: 'active' },
];
