import { z } from 'zod';
import { isValidAbn } from '@usi/contract';

export const abnSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .refine((s) => isValidAbn(s), 'Not a valid ABN (11 digits with a correct checksum)');

export const createVendorSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  abn: abnSchema,
});
export type CreateVendorInput = z.output<typeof createVendorSchema>;

export interface Vendor {
  id: string;
  name: string;
  abn: string;
  status: 'active' | 'suspended';
  createdAt: Date;
  updatedAt: Date;
}
