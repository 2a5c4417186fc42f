import { Injectable } from '@nestjs/common';
import { Principal } from '../common/request-context/principal';
import { CredentialView } from '../credentials/credential.view';
import { CredentialsService } from '../credentials/credentials.service';
import { VendorId } from '../database/vendor-id';
import { CallDay, ProviderRow, VendorConsoleRepository } from './vendor-console.repository';
import { vendorScope } from './vendor-scope';

/** The credential banner shows from this many days before expiry. */
export const EXPIRY_WARNING_DAYS = 60;
/** A pending authorisation with no passing test after this long is "stuck in the RAM step". */
export const RAM_STEP_STUCK_DAYS = 3;
const DAY_MS = 24 * 3600_000;

export interface CallSummary {
  days: CallDay[];
  calls: number;
  errors: number;
  /** Percent, one decimal; 0 without calls. */
  errorRate: number;
}

export interface AttentionItem {
  kind: 'credential_expiring' | 'credential_missing' | 'ram_step_stuck' | 'connection_test_failing';
  message: string;
  href: string;
}

export interface VendorOverview {
  statusCounts: { status: string; count: number }[];
  last7: CallSummary;
  last30: CallSummary;
  credential: (CredentialView & { daysToExpiry: number }) | undefined;
  attention: AttentionItem[];
}

export const daysUntil = (iso: string, now = Date.now()): number => Math.floor((Date.parse(iso) - now) / DAY_MS);

function summary(days: CallDay[]): CallSummary {
  const calls = days.reduce((n, d) => n + d.calls, 0);
  const errors = days.reduce((n, d) => n + d.errors, 0);
  return { days, calls, errors, errorRate: calls ? Math.round((1000 * errors) / calls) / 10 : 0 };
}

/**
 * What a vendor sees first: its providers by authorisation status, its calls and error rate (7 and 30 days), the
 * active machine credential and what needs attention. Reads only: vendor admins and developers alike.
 */
@Injectable()
export class VendorOverviewService {
  constructor(
    private readonly repository: VendorConsoleRepository,
    private readonly credentials: CredentialsService,
  ) {}

  async overview(principal: Principal): Promise<VendorOverview> {
    const vendorId = vendorScope(principal);
    const [days30, providers, credentials] = await Promise.all([
      this.repository.callsByDay(vendorId, 30),
      this.repository.providers(vendorId),
      this.credentialHistory(vendorId),
    ]);
    const active = credentials.find((c) => c.status === 'active');
    const credential = active ? { ...active, daysToExpiry: daysUntil(active.notAfter) } : undefined;
    return {
      statusCounts: statusCounts(providers),
      last7: summary(days30.slice(-7)),
      last30: summary(days30),
      credential,
      attention: attention(credential, providers),
    };
  }

  /** The vendor's own credentials, newest first (the console's history). */
  async credentialHistory(vendorId: VendorId): Promise<CredentialView[]> {
    const all: CredentialView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.credentials.list(vendorId, { limit: 200, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all.reverse();
  }
}

function statusCounts(providers: ProviderRow[]): { status: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const p of providers) {
    const status = p.authorisationStatus ?? 'no authorisation';
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return [...counts].map(([status, count]) => ({ status, count })).sort((a, b) => a.status.localeCompare(b.status));
}

function attention(credential: VendorOverview['credential'], providers: ProviderRow[], now = Date.now()): AttentionItem[] {
  const items: AttentionItem[] = [];
  if (!credential) {
    items.push({ kind: 'credential_missing', message: 'No active machine credential: USI calls cannot be made. Upload one.', href: '/vendor/credential' });
  } else if (credential.daysToExpiry <= EXPIRY_WARNING_DAYS) {
    items.push({
      kind: 'credential_expiring',
      message: `The machine credential ${credential.credentialId} expires in ${credential.daysToExpiry} days: renew it in RAM and upload the new one.`,
      href: '/vendor/credential',
    });
  }
  for (const p of providers) {
    const href = `/vendor/providers/${encodeURIComponent(p.orgCode)}`;
    if (p.lastTestOk === false) {
      items.push({ kind: 'connection_test_failing', message: `${p.orgCode} (${p.legalName}): the last connection test failed (${p.lastTestCode ?? 'unknown reason'}).`, href });
    } else if (p.authorisationStatus === 'pending' && p.authorisationCreatedAt && now - new Date(p.authorisationCreatedAt).getTime() > RAM_STEP_STUCK_DAYS * DAY_MS) {
      items.push({ kind: 'ram_step_stuck', message: `${p.orgCode} (${p.legalName}) has been at the RAM step for more than ${RAM_STEP_STUCK_DAYS} days.`, href });
    }
  }
  return items;
}
