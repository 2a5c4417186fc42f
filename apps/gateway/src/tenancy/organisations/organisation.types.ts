import { z } from 'zod';
import { abnSchema } from '../vendors/vendor.types';

export const ORGANISATION_KINDS = ['RTO', 'higher_education', 'tac', 'vet_related_body', 'other'] as const;

/**
 * How the gateway reaches the registry for an organisation: `my_cloud`, through the vendor's credential with ActAs
 * (the RAM cloud software notification), or `direct`, with the organisation's own machine credential and no ActAs.
 */
export const CONNECTION_MODES = ['my_cloud', 'direct'] as const;
export type ConnectionMode = (typeof CONNECTION_MODES)[number];

const contact = {
  contactName: z.string().trim().min(1).max(200).nullable().optional(),
  contactEmail: z.email().max(320).nullable().optional(),
  contactPhone: z
    .string()
    .regex(/^[0-9 +()-]{6,20}$/, 'Digits, spaces and + ( ) - only')
    .nullable()
    .optional(),
};

export const createOrganisationSchema = z.strictObject({
  orgCode: z.string().regex(/^[A-Za-z0-9]{1,20}$/, '1 to 20 letters or digits'),
  abn: abnSchema,
  legalName: z.string().trim().min(1).max(200),
  kind: z.enum(ORGANISATION_KINDS),
  ...contact,
});
export type CreateOrganisationInput = z.output<typeof createOrganisationSchema>;

export const updateOrganisationSchema = z
  .strictObject({
    abn: abnSchema.optional(),
    legalName: z.string().trim().min(1).max(200).optional(),
    kind: z.enum(ORGANISATION_KINDS).optional(),
    status: z.enum(['active', 'suspended']).optional(),
    connectionMode: z.enum(CONNECTION_MODES).optional(),
    ...contact,
  })
  .refine((o) => Object.keys(o).length > 0, 'Nothing to update');
export type UpdateOrganisationInput = z.output<typeof updateOrganisationSchema>;

export interface Organisation {
  id: string;
  orgCode: string;
  abn: string;
  legalName: string;
  kind: (typeof ORGANISATION_KINDS)[number];
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  status: 'active' | 'suspended';
  connectionMode: ConnectionMode;
  createdAt: Date;
  updatedAt: Date;
}
