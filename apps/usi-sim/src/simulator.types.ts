import type { TestCa } from '@usi/keystore';
import type { SimulatorAdmin } from './admin/simulator-admin';

export interface SimulatorOptions {
  /** 0 = a random free port. Default 7300. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Persists the CA and the service key. Default `./.data/usi-sim`. */
  stateDir?: string;
  /** Keystore files whose CA chains are trusted as well as the simulator's own CA (e.g. the public 3PT keystore). */
  trustKeystores?: string[];
  clock?: () => Date;
  quiet?: boolean;
  /** AppliesTo values accepted besides this simulator's own USI URL (e.g. the 3PT service URL). */
  extraAppliesTo?: string[];
  /** Size of the generated registry population (default: the registry's). */
  population?: number;
}

export interface RunningSimulator {
  url: string;
  stsUrl: string;
  usiUrl: string;
  port: number;
  ca: TestCa;
  admin: SimulatorAdmin;
  close(): Promise<void>;
}
