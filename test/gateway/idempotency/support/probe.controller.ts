import { Body, Controller, Get, HttpCode, Module, Param, Post } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, ValidationError } from '@gateway/common/errors/app-error';
import { CurrentVendorId } from '@gateway/common/auth/current-principal.decorator';
import type { VendorId } from '@gateway/database/vendor-id';
import { IdempotencyKey } from '@gateway/idempotency/idempotency-key.decorator';
import { Idempotent } from '@gateway/idempotency/idempotent.decorator';
import { usiRequestIdFor } from '@gateway/idempotency/request-id';
import { RateLimited } from '@gateway/rate-limit/rate-limited.decorator';

export interface ProbeBody {
  name?: string;
  delayMs?: number;
  fail?: 'upstream' | 'invalid' | 'server';
  [extra: string]: unknown;
}

/** How often each probe handler really ran: the stand-in for the simulator's request counters. */
export const probeCalls = { create: 0, read: 0 };

/** Test-only routes shaped like the USI ones, to exercise `@Idempotent()` and `@RateLimited()` in isolation. */
@Controller('v1/organisations/:orgCode/probe')
@RateLimited()
export class ProbeController {
  @Post('create')
  @Idempotent()
  async create(
    @Param('orgCode') orgCode: string,
    @Body() body: ProbeBody,
    @IdempotencyKey() key: string,
    @CurrentVendorId() vendorId: VendorId,
  ): Promise<Record<string, unknown>> {
    probeCalls.create += 1;
    const call = probeCalls.create;
    if (body.delayMs) await sleep(body.delayMs);
    if (body.fail === 'invalid') throw new ValidationError([{ path: 'name', code: 'required', message: 'name is required' }]);
    if (body.fail === 'upstream') throw new AppError('usi.validation', 'The USI Registry refused the request');
    if (body.fail === 'server') throw new AppError('upstream.unavailable', 'The USI Registry is unavailable');
    return { call, orgCode, requestId: usiRequestIdFor(vendorId, key), name: body.name ?? null };
  }

  /** The same shape on another path: a key reused across routes can only be told apart by the path. */
  @Post('create-again')
  @Idempotent()
  createAgain(
    @Param('orgCode') orgCode: string,
    @Body() body: ProbeBody,
    @IdempotencyKey() key: string,
    @CurrentVendorId() vendorId: VendorId,
  ): Promise<Record<string, unknown>> {
    return this.create(orgCode, body, key, vendorId);
  }

  @Get('read')
  @HttpCode(200)
  read(): { ok: true } {
    probeCalls.read += 1;
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
