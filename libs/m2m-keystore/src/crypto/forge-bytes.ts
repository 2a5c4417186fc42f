import forge from 'node-forge';

/** node-forge works on "binary strings" (one char per byte); these convert at the boundary. */
export function toForgeBytes(bytes: Buffer): string {
  return bytes.toString('binary');
}

export function fromForgeBytes(bytes: string): Buffer {
  return Buffer.from(bytes, 'binary');
}

export function asn1FromDer(bytes: Buffer): forge.asn1.Asn1 {
  return forge.asn1.fromDer(toForgeBytes(bytes));
}

export function asn1ToDer(node: forge.asn1.Asn1): Buffer {
  return fromForgeBytes(forge.asn1.toDer(node).getBytes());
}
