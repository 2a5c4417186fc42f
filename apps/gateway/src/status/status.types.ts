import type { ClockStatus, EndpointActivity } from '../upstream/upstream-monitor';
import type { CircuitState } from '../upstream/circuit-breaker';

export interface EndpointStatus extends EndpointActivity {
  url: string;
  breaker: CircuitState;
}

/** One upstream environment as this gateway instance sees it. */
export interface EnvironmentStatus {
  environment: string;
  serviceVersion: { id: string; label: string; namespace: string; complete: boolean };
  appliesTo: string;
  endpoints: { sts: EndpointStatus; usi: EndpointStatus };
  clock: ClockStatus;
  /** When the registry last refused the version spoken (ErrorInfo 3458), by this instance's count. */
  versionOutdatedAt: string | null;
}

export interface CredentialStatus {
  id: string;
  credentialId: string;
  abn: string;
  notAfter: string;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
  expired: boolean;
}

export interface VendorStatus {
  generatedAt: string;
  /** Where the call statistics come from: this instance's memory, over the last 15 minutes. */
  statistics: string;
  environments: EnvironmentStatus[];
  credential: CredentialStatus | null;
}

export interface PlatformStatus {
  generatedAt: string;
  statistics: string;
  environments: EnvironmentStatus[];
  credentials: {
    active: number;
    expired: number;
    expiringWithin30Days: number;
    vendorsWithoutCredential: number;
    /** The 20 soonest to expire. */
    soonest: (CredentialStatus & { vendorId: string; vendorName: string })[];
  };
}
