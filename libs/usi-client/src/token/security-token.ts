/** What the STS hands back; the token stays opaque (encrypted for USI) and is replayed verbatim. */
export interface SecurityToken {
  /** The `xenc:EncryptedData` element, serialized exactly as received. */
  tokenXml: string;
  /** `RequestedAttachedReference/SecurityTokenReference`, serialized exactly as received; becomes the HMAC KeyInfo. */
  attachedReferenceXml: string;
  /** The HMAC key for USI calls. A secret: never log or serialise it. */
  proofKey: Buffer;
  created: Date;
  expires: Date;
}

/** Cloud software acting for a training provider (m2m-sts.md §3.4). */
export interface ActAs {
  firstPartyAbn: string;
  secondPartyAbn: string;
  ssid: string;
}
