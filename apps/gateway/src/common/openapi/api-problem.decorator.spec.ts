import 'reflect-metadata';
import { ApiProblem, ApiProblems } from './api-problem.decorator';

const API_RESPONSE_METADATA = 'swagger/apiResponse';
type Responses = Record<string, { description: string; content: Record<string, { examples: Record<string, { value: { code: string } }> }> }>;
const codesAt = (holder: object, status: number) =>
  Object.keys((Reflect.getMetadata(API_RESPONSE_METADATA, holder) as Responses)[status].content['application/problem+json'].examples).sort();

@ApiProblem('auth.unauthenticated')
@ApiProblem('organisation.not_found')
class Documented {
  @ApiProblems('authorisation.not_found', 'request.validation')
  revoke(): void {}

  @ApiProblem('request.validation')
  create(): void {}
}

describe('problem response decorators', () => {
  it("keeps the controller's codes on a route that documents the same status itself", () => {
    expect(codesAt(Documented.prototype.revoke, 404)).toEqual(['authorisation.not_found', 'organisation.not_found']);
    expect((Reflect.getMetadata(API_RESPONSE_METADATA, Documented.prototype.revoke) as Responses)[404].description).toContain('organisation.not_found');
  });

  it("leaves a route's other statuses alone and the controller's own responses whole", () => {
    expect(codesAt(Documented.prototype.revoke, 400)).toEqual(['request.validation']);
    expect(codesAt(Documented.prototype.create, 400)).toEqual(['request.validation']);
    expect((Reflect.getMetadata(API_RESPONSE_METADATA, Documented.prototype.create) as Responses)[404]).toBeUndefined();
    expect(codesAt(Documented, 404)).toEqual(['organisation.not_found']);
    expect(codesAt(Documented, 401)).toEqual(['auth.unauthenticated']);
  });

  it('merges several decorators for one status on the same route', () => {
    class Twice {
      @ApiProblem('organisation.not_found')
      @ApiProblem('authorisation.not_found')
      get(): void {}
    }
    expect(codesAt(Twice.prototype.get, 404)).toEqual(['authorisation.not_found', 'organisation.not_found']);
  });
});
