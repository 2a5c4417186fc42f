import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ManagementAccess } from '../../common/auth/access.decorator';
import { CurrentVendorId } from '../../common/auth/current-principal.decorator';
import { VendorId } from '../../database/vendor-id';
import { VendorService } from './vendor.service';
import { Vendor } from './vendor.types';

export const VENDOR_EXAMPLE = { id: '1f0c…', name: 'Demo SMS Vendor', abn: '11000002568', status: 'active' };

@ApiTags('vendor')
@Controller('v1/vendor')
export class VendorController {
  constructor(private readonly service: VendorService) {}

  @Get()
  @ManagementAccess()
  @ApiOkResponse({ schema: { example: VENDOR_EXAMPLE } })
  @ApiOperation({ summary: 'The caller\'s vendor', description: 'To show which vendor an API key or session belongs to (name, ABN).' })
  get(@CurrentVendorId() vendorId: VendorId): Promise<Vendor> {
    return this.service.get(vendorId);
  }
}
