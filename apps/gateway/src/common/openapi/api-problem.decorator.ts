import { ApiResponse } from '@nestjs/swagger';
import { statusForCode } from '../errors/error-status';

/** One documented problem+json response per stable code a route can return. */
export const ApiProblem = (code: string) => {
  const { status, title } = statusForCode(code);
  return ApiResponse({
    status,
    description: code,
    content: {
      'application/problem+json': {
        example: { type: `https://usi-gateway.dev/problems/${code}`, title, status, detail: title, code, requestId: 'b3c1…' },
      },
    },
  });
};
