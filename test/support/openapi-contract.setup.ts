import { violations } from './contract-violations';

/** Fails the test during which the gateway sent a response its OpenAPI document does not allow (`openapi-contract.ts`). */
afterEach(() => {
  const found = violations.splice(0);
  if (found.length) throw new Error(`Responses that break the OpenAPI document:\n${[...new Set(found)].join('\n')}`);
});
