import type { Request } from 'express';
import { z } from 'zod';
import { ValidationError } from '../common/errors/app-error';
import type { TenantContext } from '../common/request-context/tenant-context.service';
import type { VendorId } from '../database/vendor-id';
import type { CredentialUpload } from './credentials.service';

/**
 * Who acts on a credential. Whether they may is the access policy's (the guard, from the routes' decorators:
 * `@ManagementAccess()`, and `@VendorWide()` for the vendor's own credential); this only reads the principal.
 */
export function credentialActor(tenant: TenantContext): { vendorId: VendorId; actorId: string } {
  return { vendorId: tenant.requireVendorId(), actorId: tenant.requirePrincipal().actorId };
}

const uploadFields = z.object({
  credentialId: z.string().min(1).max(200),
  password: z.string().min(1).max(1000),
  keystoreXml: z.string().min(1).optional(),
});

/** multipart (`keystore` file, `credentialId`, `password`) or JSON (`keystoreXml`, `credentialId`, `password`). */
export function keystoreUploadOf(req: Request & { file?: { buffer: Buffer } }): CredentialUpload {
  const fields = uploadFields.safeParse(req.body ?? {});
  if (!fields.success) {
    // Field paths and rule codes only: a password value must never be echoed back.
    throw new ValidationError(fields.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })));
  }
  const keystore = req.file?.buffer ?? (fields.data.keystoreXml ? Buffer.from(fields.data.keystoreXml, 'utf8') : undefined);
  if (!keystore) {
    throw new ValidationError([{ path: 'keystore', code: 'required', message: 'Upload a keystore file or send keystoreXml' }]);
  }
  return { keystore, credentialId: fields.data.credentialId, password: fields.data.password };
}

export const revokeBodySchema = z.strictObject({
  confirm: z.boolean().optional(),
  activate: z.uuid().optional(),
});
export type RevokeBody = z.output<typeof revokeBodySchema>;

export const activateBodySchema = z.strictObject({ confirm: z.boolean().optional() });
export type ActivateBody = z.output<typeof activateBodySchema>;
