import { Global, Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import type { Request } from 'express';
import { requestIdOf } from './request-id';
import { TenantContext } from './tenant-context.service';

@Global()
@Module({
  imports: [
    ClsModule.forRoot({
      global: true,
      middleware: { mount: true, generateId: true, idGenerator: (req: Request) => requestIdOf(req) },
    }),
  ],
  providers: [TenantContext],
  exports: [TenantContext],
})
export class RequestContextModule {}
