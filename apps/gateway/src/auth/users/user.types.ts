import { UserRole } from '../../common/request-context/principal';

export interface NewUser {
  vendorId: string | null;
  organisationId?: string | null;
  email: string;
  password: string;
  roles: UserRole[];
}

export interface User {
  id: string;
  vendorId: string | null;
  organisationId: string | null;
  email: string;
  roles: UserRole[];
  createdAt: Date;
}

export interface LoginCandidate extends User {
  passwordHash: string;
  failedLogins: number;
  lockedUntil: Date | null;
  /** A confirmed TOTP second factor. */
  mfaEnrolled: boolean;
}
