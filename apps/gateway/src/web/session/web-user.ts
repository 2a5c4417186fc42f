import type { Principal } from '../../common/request-context/principal';
import type { ActiveSession } from '../../auth/sessions/session.repository';

/** The signed-in browser user of a web request, as the page guard found it. */
export interface WebUser {
  id: string;
  email: string;
  roles: ActiveSession['roles'];
  vendorId: string | null;
  organisationId: string | null;
  /** Has passed the second factor in this session. */
  mfaVerified: boolean;
  mfaEnrolled: boolean;
  /** For the access policy and RLS-scoped services, exactly as the API sees this user. */
  principal: Principal;
}

export interface WebRequestState {
  webUser?: WebUser;
  /** The raw session, for sign-in pages that complete or end it. */
  webSession?: ActiveSession & { token: string };
}
