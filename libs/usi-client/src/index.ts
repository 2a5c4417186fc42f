export * from './endpoints';
export * from './errors/usi-client-error';
export * from './http/http-transport';
export * from './http/undici-http-transport';
export * from './token/security-token';
export * from './token/token-cache';
