import type { OperationResponse } from '@usi/contract';
import { issuedUsiOf } from './issued-usi';

describe('issuedUsiOf', () => {
  const application = (usi?: string) =>
    ({ application: { processedDate: '', applicationId: 'A1', result: 'Success', identityDocumentVerified: 'NotVerified', usi } }) as unknown as OperationResponse<'CreateUSI'>;

  it("is CreateUSI's returned USI, and nothing for a refusal without one or any other operation", () => {
    expect(issuedUsiOf('CreateUSI', application('BNGH7C75FN'))).toBe('BNGH7C75FN');
    expect(issuedUsiOf('CreateUSI', application())).toBeUndefined();
    expect(issuedUsiOf('VerifyUSI', { usiStatus: 'Valid' } as unknown as OperationResponse<'VerifyUSI'>)).toBeUndefined();
  });
});
