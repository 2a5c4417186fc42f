/**
 * A vendor id that came from an authenticated principal or a tenant-scoped lookup, never straight from a
 * request. Repositories demand it so the compiler catches an unscoped call.
 */
export type VendorId = string & { readonly __brand: 'VendorId' };

export function asVendorId(id: string): VendorId {
  return id as VendorId;
}
