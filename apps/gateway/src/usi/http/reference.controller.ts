import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireScopes } from '../../common/auth/access.decorator';
import { CurrentPrincipal, CurrentVendorId } from '../../common/auth/current-principal.decorator';
import { Principal } from '../../common/request-context/principal';
import { VendorId } from '../../database/vendor-id';
import { CacheState } from '../reference/reference-data.cache';
import { ReferenceDataService } from '../reference/reference-data.service';
import { USI_EXAMPLES } from './usi-examples';
import { usiResponseSchema } from './usi-json-schema';
import { ApiUsiOk, ApiUsiProblems } from './usi-openapi';
import { RateLimited } from '../../rate-limit/rate-limited.decorator';
import { UsiRequestScope } from './usi-request-scope';

/** `hit`, `miss` or `stale` (served from an expired copy because the registry failed). */
const CACHE_HEADER = 'X-Reference-Cache';

@ApiTags('usi')
@RateLimited()
@RequireScopes('usi:verify')
@ApiHeader({ name: CACHE_HEADER, required: false, description: 'Response header: hit | miss | stale' })
@Controller('v1/organisations/:orgCode/reference')
export class ReferenceController {
  constructor(
    private readonly scope: UsiRequestScope,
    private readonly reference: ReferenceDataService,
  ) {}

  @Get('countries')
  @ApiUsiOk(200, usiResponseSchema('GetCountries'), USI_EXAMPLES.countries.response)
  @ApiUsiProblems()
  @ApiOperation({ summary: 'Country codes (GetCountries)', description: 'To fill country pickers and `countryOf…Code` fields; cached by the gateway (see `X-Reference-Cache`).' })
  async countries(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const target = await this.scope.active(principal, vendorId, orgCode, { operation: 'GetCountries' });
    return withCacheHeader(res, await this.reference.countries(target));
  }

  @Get('document-types')
  @ApiUsiOk(200, usiResponseSchema('GetNonDvsDocumentTypes'), USI_EXAMPLES.documentTypes.response)
  @ApiUsiProblems()
  @ApiOperation({ summary: 'Non-DVS document types (GetNonDvsDocumentTypes)', description: 'For `nonDvsDocumentTypeId` in personal-detail updates; cached by the gateway.' })
  async documentTypes(
    @CurrentPrincipal() principal: Principal,
    @CurrentVendorId() vendorId: VendorId,
    @Param('orgCode') orgCode: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const target = await this.scope.active(principal, vendorId, orgCode, { operation: 'GetNonDvsDocumentTypes' });
    return withCacheHeader(res, await this.reference.documentTypes(target));
  }
}

function withCacheHeader<T>(res: Response, result: { value: T; state: CacheState }): T {
  res.setHeader(CACHE_HEADER, result.state);
  return result.value;
}
