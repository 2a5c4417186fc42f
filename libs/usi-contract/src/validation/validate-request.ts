import type { OperationRequest, UsiOperation } from '../operations/usi-operation';
import type { ObjectRule, ObjectSpec } from '../schema/field-spec';
import type { UsiServiceVersion } from '../versions/service-version';
import { schemasFor } from '../versions/service-versions';
import { todayAnywhere } from './calendar-date';
import type { FieldError, ValidationResult } from './field-error';
import { validateObject } from './schema-validator';

export interface ValidateOptions {
  /**
   * The current time, for the rules relative to today (a date of birth must not be in the future, counted by the
   * latest date anywhere on Earth: see `todayAnywhere`). Default: the system clock.
   */
  now?: Date;
  /** The web-service version whose schema applies (default v5). */
  version?: UsiServiceVersion;
}

/** Checks `input` against every XSD constraint of the operation's request and returns all field errors. */
export function validateRequest<O extends UsiOperation>(
  op: O,
  input: unknown,
  options: ValidateOptions = {},
): ValidationResult<OperationRequest<O>> {
  return run<OperationRequest<O>>(schemasFor(options.version)[op].request, input, options);
}

/**
 * The REST body variant: top-level fields the gateway fills in itself (e.g. `orgCode`, `requestId`) are left out of
 * the shape, so a client that sends them gets `unknown_field`.
 */
export function validateRequestBody<O extends UsiOperation, K extends keyof OperationRequest<O> & string>(
  op: O,
  input: unknown,
  options: ValidateOptions & { omit: readonly K[] },
): ValidationResult<Omit<OperationRequest<O>, K>> {
  return run<Omit<OperationRequest<O>, K>>(withoutFields(schemasFor(options.version)[op].request, options.omit), input, options);
}

function run<T>(spec: ObjectSpec, input: unknown, options: ValidateOptions): ValidationResult<T> {
  const errors: FieldError[] = [];
  validateObject(spec, input, '', errors, { today: todayAnywhere(options.now ?? new Date()) });
  return errors.length === 0 ? { ok: true, value: input as T } : { ok: false, errors };
}

/** The shapes `withoutFields` made, per schema and omitted set: a bulk upload validates 100,000 rows with one. */
const narrowed = new WeakMap<ObjectSpec, Map<string, ObjectSpec>>();

function withoutFields(spec: ObjectSpec, omit: readonly string[]): ObjectSpec {
  const key = omit.join('\u0000');
  let bySet = narrowed.get(spec);
  if (!bySet) narrowed.set(spec, (bySet = new Map()));
  let shape = bySet.get(key);
  if (!shape) bySet.set(key, (shape = narrow(spec, omit)));
  return shape;
}

function narrow(spec: ObjectSpec, omit: readonly string[]): ObjectSpec {
  const keeps = (key: string) => !omit.includes(key);
  const keepRule = (rule: ObjectRule) =>
    rule.kind === 'count' ? keeps(rule.count) && keeps(rule.list) : rule.branches.every((b) => b.members.every(keeps));
  return { ...spec, fields: spec.fields.filter((f) => keeps(f.key)), rules: spec.rules?.filter(keepRule) };
}
