import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { loadMasterKey } from '../keys/master-key';
import { NotificationsModule } from '../notifications/notifications.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { ApiKeyController } from './api-keys/api-key.controller';
import { ApiKeyPrincipalCache } from './api-keys/api-key-principal.cache';
import { ApiKeyUsageRecorder } from './api-keys/api-key-usage.recorder';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeyService } from './api-keys/api-key.service';
import { CsrfProtection } from './csrf/csrf-protection.service';
import { CsrfTokens } from './csrf/csrf-token';
import { MfaRepository } from './mfa/mfa.repository';
import { MfaService } from './mfa/mfa.service';
import { SessionKeys } from './mfa/session-keys';
import { PasswordRepository } from './passwords/password.repository';
import { PasswordService } from './passwords/password.service';
import { FailedAuthLimiter } from './failed-auth/failed-auth.limiter';
import { AuthGuard } from './guards/auth.guard';
import { AuthController } from './sessions/auth.controller';
import { LoginThrottleRepository } from './sessions/login-throttle.repository';
import { SessionRepository } from './sessions/session.repository';
import { SessionService } from './sessions/session.service';
import { PasswordHasher } from './users/password-hasher';
import { UserRepository } from './users/user.repository';
import { UserService } from './users/user.service';

@Module({
  imports: [TenancyModule, NotificationsModule, AuditModule],
  controllers: [AuthController, ApiKeyController],
  providers: [
    ApiKeyRepository,
    ApiKeyService,
    ApiKeyPrincipalCache,
    ApiKeyUsageRecorder,
    PasswordHasher,
    UserRepository,
    UserService,
    SessionRepository,
    SessionService,
    LoginThrottleRepository,
    {
      provide: CsrfTokens,
      inject: [APP_CONFIG],
      // SESSION_SECRET is required in production; elsewhere the master key stands in, as for the audit HMAC.
      useFactory: (config: AppConfig) =>
        CsrfTokens.fromSecret(config.sessionSecret, () => loadMasterKey({ ...config.keys, production: false })),
    },
    CsrfProtection,
    {
      provide: SessionKeys,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        SessionKeys.fromSecret(config.sessionSecret, () => loadMasterKey({ ...config.keys, production: false })),
    },
    MfaRepository,
    MfaService,
    PasswordRepository,
    PasswordService,
    FailedAuthLimiter,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  // CsrfProtection, CsrfTokens, MfaService, FailedAuthLimiter: for the web pages' sign-in and forms.
  exports: [ApiKeyService, UserService, SessionService, PasswordService, CsrfProtection, CsrfTokens, MfaService, FailedAuthLimiter, PasswordHasher, UserRepository],
})
export class AuthModule {}
