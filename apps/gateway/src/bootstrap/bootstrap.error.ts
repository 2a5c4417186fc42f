import { UsiError } from '@usi/contract';

/** Start-up failures of the self-contained development mode (embedded Postgres, demo seed). */
export class BootstrapError extends UsiError {}
