import { UsiError } from '@usi/contract';

/** Misuse of the simulator's own API (admin seeding, bad store input), as opposed to a USI fault sent to a caller. */
export class RegistryError extends UsiError {}
