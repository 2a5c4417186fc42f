import { z } from 'zod';
import { API_SCOPES, ApiScope } from '../../common/request-context/principal';

export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(API_SCOPES)).min(1).transform((s) => [...new Set(s)]),
  organisationIds: z.array(z.uuid()).min(1).max(1000).nullable().optional(),
  expiresAt: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .refine((d) => d.getTime() > Date.now(), 'Must be in the future')
    .nullable()
    .optional(),
});
export type CreateApiKeyInput = z.output<typeof createApiKeySchema>;

/** What listings show: never the key, never its hash. */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  organisationIds: string[] | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

/** Used only by the authentication path. */
export interface ApiKeyCredential extends ApiKey {
  vendorId: string;
  keyHash: string;
}
