/** Responses that broke the OpenAPI document (`openapi-contract.ts`), waiting for the running test's `afterEach`. */
export const violations: string[] = [];
