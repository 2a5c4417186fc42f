export { startSimulator, DEFAULT_PORT, DEFAULT_STATE_DIR } from './simulator';
export type { RunningSimulator, SimulatorOptions } from './simulator.types';
export { SimulatorAdmin } from './admin/simulator-admin';
export type { FaultConfig, FaultRule, LatencySpec } from './faults/fault-config';
export type { CounterSnapshot } from './faults/request-counters';
export { STS_PATH } from './sts/sts.service';
export { USI_PATH } from './usi/usi.service';
export type { StsRequestRecord } from './sts/sts-request-log';
