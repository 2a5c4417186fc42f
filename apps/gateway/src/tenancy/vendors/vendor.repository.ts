import { Injectable } from '@nestjs/common';
import { TenantTransaction } from '../../database/tenant-transaction.service';
import { VendorId } from '../../database/vendor-id';
import { CreateVendorInput, Vendor } from './vendor.types';

const COLUMNS = `id, name, abn, status, created_at as "createdAt", updated_at as "updatedAt"`;

@Injectable()
export class VendorRepository {
  constructor(private readonly tx: TenantTransaction) {}

  create(input: CreateVendorInput): Promise<Vendor> {
    return this.tx.runInPlatformScope('create vendor', async (m) => {
      const [row] = await m.query(`insert into vendors (name, abn) values ($1, $2) returning ${COLUMNS}`, [
        input.name,
        input.abn,
      ]);
      return row;
    });
  }

  findById(vendorId: VendorId): Promise<Vendor | undefined> {
    return this.tx.runInTenant(vendorId, async (m) => {
      const [row] = await m.query(`select ${COLUMNS} from vendors where id = $1`, [vendorId]);
      return row;
    });
  }
}
