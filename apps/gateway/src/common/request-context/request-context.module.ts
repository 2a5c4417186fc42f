import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ClsService, ClsServiceManager } from 'nestjs-cls';
import { RequestScopeMiddleware } from './request-scope.middleware';
import { TenantContext } from './tenant-context.service';

/**
 * nestjs-cls's ClsService without `ClsModule.forRoot`. Its root module registers a global guard and a global
 * interceptor even when told not to mount them (no-ops then), and any global interceptor makes Nest wrap each handler
 * call in `AsyncResource.bind`, which on Node 20-22 builds deprecation wrappers with `Object.setPrototypeOf`: V8 then
 * keeps the bound resource, its CLS store and so the whole request alive until a full GC. Its middleware has the same
 * effect through a WeakMap (see RequestScopeMiddleware).
 */
@Global()
@Module({
  providers: [{ provide: ClsService, useFactory: () => ClsServiceManager.getClsService() }, TenantContext],
  exports: [ClsService, TenantContext],
})
export class RequestContextModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Express 5 mounts the root path with `use()`, so this runs for every request.
    consumer.apply(RequestScopeMiddleware).forRoutes('/');
  }
}
