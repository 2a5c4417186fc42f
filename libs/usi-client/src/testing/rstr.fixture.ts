/** Hand-written RSTRs shaped like the captured ATO response (m2m-sts.md §4), for specs only. */
export const PROOF = Buffer.from('0123456789abcdef0123456789abcdef');

export const ENCRYPTED_DATA =
  '<xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Id="ED-1" Type="http://www.w3.org/2001/04/xmlenc#Element">' +
  '<xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes256-cbc"/>\n  ' +
  '<xenc:CipherData><xenc:CipherValue>QUJDRA==</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>';

export const STR =
  '<o:SecurityTokenReference xmlns:k="http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd" ' +
  'k:TokenType="http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0">' +
  '<o:KeyIdentifier ValueType="http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID">_a1b2</o:KeyIdentifier>' +
  '</o:SecurityTokenReference>';

export function rstr(opts: { token?: string; secret?: string; expires?: string; wrapInCollection?: boolean } = {}): string {
  const inner =
    '<trust:RequestSecurityTokenResponse>' +
    '<trust:TokenType>http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0</trust:TokenType>' +
    `<trust:RequestedSecurityToken>${opts.token ?? ENCRYPTED_DATA}</trust:RequestedSecurityToken>` +
    `<trust:RequestedAttachedReference>${STR}</trust:RequestedAttachedReference>` +
    `<trust:RequestedUnattachedReference>${STR}</trust:RequestedUnattachedReference>` +
    `<trust:RequestedProofToken><trust:BinarySecret Type="http://docs.oasis-open.org/ws-sx/ws-trust/200512/Nonce">${
      opts.secret ?? PROOF.toString('base64')
    }</trust:BinarySecret></trust:RequestedProofToken>` +
    `<trust:Lifetime><u:Created>2026-03-01T00:00:00.000Z</u:Created><u:Expires>${opts.expires ?? '2026-03-01T01:00:00.000Z'}</u:Expires></trust:Lifetime>` +
    '</trust:RequestSecurityTokenResponse>';
  const body = opts.wrapInCollection === false ? inner : `<trust:RequestSecurityTokenResponseCollection>${inner}</trust:RequestSecurityTokenResponseCollection>`;
  return (
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:trust="http://docs.oasis-open.org/ws-sx/ws-trust/200512" ' +
    'xmlns:o="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" ' +
    'xmlns:u="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">' +
    `<s:Header/><s:Body>${body}</s:Body></s:Envelope>`
  );
}
