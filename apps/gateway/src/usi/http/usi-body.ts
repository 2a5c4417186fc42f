import { OperationRequest, UsiOperation, UsiServiceVersion, validateRequestBody } from '@usi/contract';
import { ValidationError } from '../../common/errors/app-error';

/**
 * The REST body of `op`: the XSD request minus what the gateway fills in. Every field error is reported at once
 * (400 `request.validation`), before anything is sent upstream. `version`: the web-service version spoken (its schema
 * delta applies; default v5).
 */
export function validBody<O extends UsiOperation, K extends keyof OperationRequest<O> & string>(
  op: O,
  body: unknown,
  omit: readonly K[],
  version?: UsiServiceVersion,
): Omit<OperationRequest<O>, K> {
  const result = validateRequestBody(op, body ?? {}, { omit, version });
  if (!result.ok) throw new ValidationError(result.errors);
  return result.value;
}

/** The Update* operations take the USI from the path; one in the body as well is refused, not silently overridden. */
export function validUpdateBody<O extends 'UpdateUSIPersonalDetails' | 'UpdateUSIContactDetails'>(
  op: O,
  body: unknown,
  usi: string,
  version?: UsiServiceVersion,
): Omit<OperationRequest<O>, 'orgCode'> {
  const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
  const inBody = isObject && 'usi' in body;
  const result = validateRequestBody(op, isObject ? { ...body, usi } : body ?? {}, { omit: ['orgCode'], version });
  const errors = [
    ...(inBody ? [{ path: 'usi', code: 'unknown_field', message: 'The USI is taken from the path, not the body' }] : []),
    ...(result.ok ? [] : result.errors),
  ];
  if (!result.ok || errors.length > 0) throw new ValidationError(errors);
  return result.value;
}

/**
 * A single CreateUSI carries one application, so its ApplicationId only labels the answer: the REST body may leave it
 * out and gets this one.
 */
export const DEFAULT_APPLICATION_ID = '1';

/** CreateUSI's body is the application itself; its errors are reported relative to that body. */
export function validApplication(body: unknown, version?: UsiServiceVersion): OperationRequest<'CreateUSI'>['application'] {
  const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
  const application = isObject && !('applicationId' in body) ? { applicationId: DEFAULT_APPLICATION_ID, ...body } : body;
  const result = validateRequestBody('CreateUSI', { application: application ?? {} }, { omit: ['orgCode', 'requestId'], version });
  if (!result.ok) {
    throw new ValidationError(result.errors.map((e) => ({ ...e, path: e.path.replace(/^application\.?/, '') || '(body)' })));
  }
  return result.value.application;
}
