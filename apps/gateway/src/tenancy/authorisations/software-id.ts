import { randomInt } from 'node:crypto';

/** 10 digits from the CSPRNG: unguessable, so a software ID cannot be inferred from a neighbour's. */
export function generateSoftwareId(): string {
  return String(randomInt(0, 10_000_000_000)).padStart(10, '0');
}
