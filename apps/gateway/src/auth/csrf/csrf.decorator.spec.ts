import { Reflector } from '@nestjs/core';
import { CSRF_TOKEN_REQUIRED, RequireCsrfToken } from './csrf.decorator';

describe('@RequireCsrfToken()', () => {
  it('marks a controller or handler so the auth guard demands the token (origin alone is not enough)', () => {
    class FormController {
      @RequireCsrfToken()
      submit(): void {}
      plain(): void {}
    }
    @RequireCsrfToken()
    class FormPages {}
    const reflector = new Reflector();
    expect(reflector.get(CSRF_TOKEN_REQUIRED, FormController.prototype.submit)).toBe(true);
    expect(reflector.get(CSRF_TOKEN_REQUIRED, FormController.prototype.plain)).toBeUndefined();
    expect(reflector.get(CSRF_TOKEN_REQUIRED, FormPages)).toBe(true);
  });
});
