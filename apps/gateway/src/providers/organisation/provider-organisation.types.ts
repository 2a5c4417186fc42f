import { z } from 'zod';
import { ORGANISATION_KINDS } from '../../tenancy/organisations/organisation.types';
import { abnSchema } from '../../tenancy/vendors/vendor.types';

/**
 * The organisation form. The org code is the registry's format (1 to 8 letters or digits, `OrgCode` in
 * @usi/contract's schema), stricter than the management API's, since a provider registers only real ones.
 */
export const registerOrganisationSchema = z.object({
  orgCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{1,8}$/, 'Enter your organisation code: 1 to 8 letters or digits, as on training.gov.au')
    .transform((s) => s.toUpperCase()),
  abn: z.string({ error: 'Enter your ABN' }).pipe(abnSchema),
  legalName: z.string().trim().min(1, 'Enter the legal name').max(200),
  kind: z.enum(ORGANISATION_KINDS, { error: 'Choose the type of organisation' }),
  vendorId: z.uuid({ error: 'Choose your SMS vendor' }),
});
export type RegisterOrganisationInput = z.output<typeof registerOrganisationSchema>;

export interface VendorChoice {
  id: string;
  name: string;
  abn: string;
}
