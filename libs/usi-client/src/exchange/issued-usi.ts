import type { OperationResponse, UsiOperation } from '@usi/contract';

/**
 * The USI a response hands back for the one person the request was about (CreateUSI: the new USI, or the existing
 * one on MatchFound), so an audit trail can record its HMAC and masked form and find the request by it later. Kept
 * apart from `summariseOutcome`, whose summaries carry no personal data at all.
 */
export function issuedUsiOf<O extends UsiOperation>(op: O, response: OperationResponse<O>): string | undefined {
  if (op !== 'CreateUSI') return undefined;
  return (response as OperationResponse<'CreateUSI'>).application.usi || undefined;
}
