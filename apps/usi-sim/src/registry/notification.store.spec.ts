import { NotificationStore } from './notification.store';

describe('NotificationStore.findInForce', () => {
  const base = { vendorAbn: '11000002568', providerAbn: '96312011219', softwareId: '0000123400' };
  const at = (day: string) => new Date(`${day}T12:00:00Z`);

  it('finds an active notification between its start and (inclusive) end dates only', () => {
    const store = new NotificationStore();
    const n = store.add({ ...base, startDate: '2025-01-01', endDate: '2025-06-30', status: 'active' });
    expect(store.findInForce({ ...base, at: at('2025-01-01') })?.id).toBe(n.id);
    expect(store.findInForce({ ...base, at: at('2025-06-30') })?.id).toBe(n.id);
    expect(store.findInForce({ ...base, at: at('2024-12-31') })).toBeUndefined();
    expect(store.findInForce({ ...base, at: at('2025-07-01') })).toBeUndefined();
  });

  it('ignores pending and revoked notifications and other parties', () => {
    const store = new NotificationStore();
    store.add({ ...base, startDate: '2020-01-01', status: 'pending' });
    const n = store.add({ ...base, startDate: '2020-01-01', status: 'active' });
    expect(store.findInForce({ ...base, providerAbn: '27809366375', at: at('2025-01-01') })).toBeUndefined();
    expect(store.findInForce({ ...base, at: at('2025-01-01') })?.id).toBe(n.id);
    expect(store.revoke(n.id)?.status).toBe('revoked');
    expect(store.findInForce({ ...base, at: at('2025-01-01') })).toBeUndefined();
    expect(store.revoke('N999999')).toBeUndefined();
  });
});
