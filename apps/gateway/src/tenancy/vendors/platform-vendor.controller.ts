import { Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { RequireRoles } from '../../common/auth/access.decorator';
import { ApiZodBody } from '../../common/openapi/api-body.decorator';
import { ApiProblem } from '../../common/openapi/api-problem.decorator';
import { ZodBody } from '../../common/validation/zod-body.decorator';
import { VENDOR_EXAMPLE } from './vendor.controller';
import { VendorService } from './vendor.service';
import { CreateVendorInput, createVendorSchema, Vendor } from './vendor.types';

/** Bootstrapping only: platform administrators onboard vendors. */
@ApiTags('platform')
@Controller('v1/platform/vendors')
export class PlatformVendorController {
  constructor(private readonly service: VendorService) {}

  @Post()
  @RequireRoles('platform_admin')
  @ApiZodBody(createVendorSchema, { name: 'Demo SMS Vendor', abn: '11000002568' })
  @ApiCreatedResponse({ schema: { example: VENDOR_EXAMPLE } })
  @ApiProblem('request.validation')
  @ApiOperation({ summary: 'Onboard a vendor (platform administrators)', description: 'Bootstrapping only: creates the SMS vendor that then uploads its machine credential and creates API keys.' })
  create(@ZodBody(createVendorSchema) body: CreateVendorInput): Promise<Vendor> {
    return this.service.create(body);
  }
}
