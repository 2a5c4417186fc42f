export { GatewayClient } from './gateway-client';
export type { CallOptions, CallResult, GatewayClientOptions, Problem } from './gateway-client';
export type { components, operations, paths } from './generated/gateway-api';
