import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { statusForCode } from '../errors/error-status';

const problemExample = (code: string) => {
  const { status, title } = statusForCode(code);
  return { type: `https://usi-gateway.dev/problems/${code}`, title, status, detail: title, code, requestId: 'b3c1…' };
};

/** One documented problem+json response per stable code a route can return. */
export const ApiProblem = (code: string) =>
  ApiResponse({
    status: statusForCode(code).status,
    description: code,
    content: { 'application/problem+json': { example: problemExample(code) } },
  });

/**
 * Several codes at once, grouped by HTTP status: OpenAPI keys responses by status, so codes sharing one (400, 422)
 * must be named examples of a single response rather than separate `ApiProblem`s that overwrite each other.
 */
export const ApiProblems = (...codes: string[]) => {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const status = statusForCode(code).status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, group]) =>
      ApiResponse({
        status,
        description: group.join(', '),
        content: {
          'application/problem+json': { examples: Object.fromEntries(group.map((c) => [c, { value: problemExample(c) }])) },
        },
      }),
    ),
  );
};
