import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { NotificationsModule } from '../notifications/notifications.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { ApiKeyController } from './api-keys/api-key.controller';
import { ApiKeyPrincipalCache } from './api-keys/api-key-principal.cache';
import { ApiKeyUsageRecorder } from './api-keys/api-key-usage.recorder';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeyService } from './api-keys/api-key.service';
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
  imports: [TenancyModule, NotificationsModule],
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
    FailedAuthLimiter,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [ApiKeyService, UserService, SessionService],
})
export class AuthModule {}
