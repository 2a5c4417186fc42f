import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiScope, UserRole } from '../request-context/principal';
import { ApiProblem } from '../openapi/api-problem.decorator';
import { API_KEY_SCHEME, SESSION_SCHEME } from '../openapi/openapi.setup';

export const REQUIRED_SCOPES = 'auth:scopes';
export const REQUIRED_ROLES = 'auth:roles';
export const VENDOR_WIDE = 'auth:vendor_wide';

const problem = (code: string) => ({ schema: { example: { code, type: `https://usi-gateway.dev/problems/${code}` } } });

/** API keys must hold every listed scope. A route with roles but no scopes is closed to API keys. */
export const RequireScopes = (...scopes: ApiScope[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPES, scopes),
    ApiBearerAuth(API_KEY_SCHEME),
    ApiUnauthorizedResponse(problem('auth.invalid_api_key')),
    ApiForbiddenResponse(problem('auth.forbidden_scope')),
  );

/** Session users must hold one of the listed roles. A route with scopes but no roles is closed to users. */
export const RequireRoles = (...roles: UserRole[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLES, roles),
    ApiCookieAuth(SESSION_SCHEME),
    ApiUnauthorizedResponse(problem('auth.unauthenticated')),
    ApiForbiddenResponse(problem('auth.forbidden_scope')),
  );

/** Any authenticated caller, API key or session, whatever it holds: documents the global guard's default. */
export const AnyPrincipal = () => applyDecorators(ApiBearerAuth(API_KEY_SCHEME), ApiCookieAuth(SESSION_SCHEME));

/** The vendor management API: an `admin` API key or a vendor administrator's session. */
export const ManagementAccess = () => applyDecorators(RequireScopes('admin'), RequireRoles('vendor_admin'));

/**
 * Actions on the whole vendor (credentials, new organisations): only a principal without an organisation restriction
 * (access-policy.ts, rule 2).
 */
export const VendorWide = () =>
  applyDecorators(SetMetadata(VENDOR_WIDE, true), ApiProblem('auth.vendor_wide_required'));
