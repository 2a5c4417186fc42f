import { escapeXml } from '../xml/escape-xml';

export const BST_VALUE_TYPE_X509V3 =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3';
export const BST_ENCODING_BASE64 =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

/** `YYYY-MM-DDThh:mm:ss.000Z`: the ATO wants whole seconds with a `.000` fraction, not `+00:00`. */
export function wsuDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}.000Z`;
}

/** `u:Timestamp` (prefixes `u` as declared by {@link soapEnvelope}). */
export function timestampXml(now: Date, ttlSeconds = 300, id = '_0'): string {
  const created = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const expires = new Date(created.getTime() + ttlSeconds * 1000);
  return (
    `<u:Timestamp u:Id="${escapeXml(id)}"><u:Created>${wsuDateTime(created)}</u:Created>` +
    `<u:Expires>${wsuDateTime(expires)}</u:Expires></u:Timestamp>`
  );
}

export function binarySecurityTokenXml(certDer: Buffer, id: string): string {
  return (
    `<o:BinarySecurityToken u:Id="${escapeXml(id)}" ValueType="${BST_VALUE_TYPE_X509V3}" ` +
    `EncodingType="${BST_ENCODING_BASE64}">${certDer.toString('base64')}</o:BinarySecurityToken>`
  );
}

/** The KeyInfo content pointing at a BinarySecurityToken in the same header. */
export function bstReferenceXml(bstId: string): string {
  return (
    `<o:SecurityTokenReference><o:Reference URI="#${escapeXml(bstId)}" ValueType="${BST_VALUE_TYPE_X509V3}"/>` +
    `</o:SecurityTokenReference>`
  );
}
