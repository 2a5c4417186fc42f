import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../../common/errors/app-error';
import { VendorId } from '../../database/vendor-id';
import { VendorRepository } from './vendor.repository';
import { CreateVendorInput, Vendor } from './vendor.types';

@Injectable()
export class VendorService {
  constructor(private readonly repository: VendorRepository) {}

  create(input: CreateVendorInput): Promise<Vendor> {
    return this.repository.create(input);
  }

  async get(vendorId: VendorId): Promise<Vendor> {
    const vendor = await this.repository.findById(vendorId);
    if (!vendor) throw new NotFoundError('vendor');
    return vendor;
  }
}
