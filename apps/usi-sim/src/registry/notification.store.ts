export type NotificationStatus = 'active' | 'pending' | 'revoked';

/** A provider's RAM notification that lets a cloud vendor's software act for it (see cloud-onboarding.md). */
export interface Notification {
  id: string;
  vendorAbn: string;
  providerAbn: string;
  /** 10-digit software ID (the ActAs SSID). */
  softwareId: string;
  /** YYYY-MM-DD, inclusive. */
  startDate: string;
  /** YYYY-MM-DD, inclusive; absent = no end date. */
  endDate?: string;
  status: NotificationStatus;
}

export type NewNotification = Omit<Notification, 'id'>;

export class NotificationStore {
  private readonly byId = new Map<string, Notification>();
  private nextId = 1;

  add(input: NewNotification): Notification {
    const notification: Notification = { ...input, id: `N${String(this.nextId++).padStart(6, '0')}` };
    this.byId.set(notification.id, notification);
    return notification;
  }

  find(id: string): Notification | undefined {
    return this.byId.get(id);
  }

  /** Returns the revoked notification, or undefined when the id is unknown. */
  revoke(id: string): Notification | undefined {
    const notification = this.byId.get(id);
    if (notification) notification.status = 'revoked';
    return notification;
  }

  /** The active notification covering `at` (compared by calendar date in UTC), if any. */
  findInForce(q: { vendorAbn: string; providerAbn: string; softwareId: string; at: Date }): Notification | undefined {
    const day = q.at.toISOString().slice(0, 10);
    return this.list().find(
      (n) =>
        n.status === 'active' &&
        n.vendorAbn === q.vendorAbn &&
        n.providerAbn === q.providerAbn &&
        n.softwareId === q.softwareId &&
        n.startDate <= day &&
        (n.endDate === undefined || day <= n.endDate),
    );
  }

  list(): Notification[] {
    return [...this.byId.values()];
  }
}
