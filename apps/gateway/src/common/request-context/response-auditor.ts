import type { Request, Response } from 'express';

/**
 * Lets the audit module record a request that ends in an error (guard, routing, handler) from the global
 * exception filter, before the problem response is written, without the filter depending on the audit module.
 */
export interface ResponseAuditor {
  recordResponse(req: Request, res: Response, outcome: { status: number; code?: string }): Promise<void>;
}

export const RESPONSE_AUDITOR = Symbol('RESPONSE_AUDITOR');
