/** Declared once in `@usi/contract`; re-exported so the client's imports and public surface stay as they were. */
export type { MachineCredential } from '@usi/contract';
