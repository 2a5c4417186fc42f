import type { ChoiceBranch, FieldSpec, ObjectRule, ObjectSpec, TypeSpec, UnionSpec } from '../schema/field-spec';
import type { FieldError } from './field-error';
import { checkScalar, type ScalarContext } from './scalar-check';

type Json = Record<string, unknown>;

/** Collects every problem in `value` against `spec` into `errors` (never stops at the first). */
export function validateObject(
  spec: ObjectSpec,
  value: unknown,
  path: string,
  errors: FieldError[],
  context: ScalarContext,
  allowedExtra: readonly string[] = [],
): void {
  if (!isPlainObject(value)) {
    errors.push({ path, code: 'type', message: 'must be an object' });
    return;
  }
  const known = new Set([...spec.fields.map((f) => f.key), ...allowedExtra]);
  for (const key of Object.keys(value)) {
    if (!known.has(key) && value[key] !== undefined) {
      errors.push({ path: join(path, key), code: 'unknown_field', message: 'is not a field of this type' });
    }
  }
  for (const field of spec.fields) {
    validateField(field, value[field.key], join(path, field.key), errors, context);
  }
  for (const rule of spec.rules ?? []) {
    checkRule(rule, value, path, errors);
  }
}

function validateField(field: FieldSpec, value: unknown, path: string, errors: FieldError[], context: ScalarContext): void {
  if (value === undefined) {
    if (!field.optional) {
      errors.push({ path, code: 'required', message: 'is required' });
    }
    return;
  }
  if (value === null) {
    if (!field.nillable) {
      errors.push({ path, code: 'type', message: 'must not be null' });
    }
    return;
  }
  if (field.list) {
    validateList(field, value, path, errors, context);
  } else {
    validateValue(field.type, value, path, errors, context);
  }
}

function validateList(field: FieldSpec, value: unknown, path: string, errors: FieldError[], context: ScalarContext): void {
  const { minOccurs, maxOccurs, unique } = field.list!;
  if (!Array.isArray(value)) {
    errors.push({ path, code: 'type', message: 'must be an array' });
    return;
  }
  if (value.length < minOccurs) {
    errors.push({ path, code: 'batch_empty', message: `needs at least ${minOccurs} item(s)` });
  }
  if (maxOccurs !== undefined && value.length > maxOccurs) {
    // Item-level errors for an oversize batch would only bury this one.
    errors.push({ path, code: 'batch_too_large', message: `must hold at most ${maxOccurs} items` });
    return;
  }
  value.forEach((item, i) => validateValue(field.type, item, `${path}[${i}]`, errors, context));
  if (unique) {
    const seen = new Set<unknown>();
    value.forEach((item, i) => {
      const key = isPlainObject(item) ? item[unique.key] : undefined;
      if (key === undefined) return;
      if (seen.has(key)) {
        errors.push({ path: `${path}[${i}].${unique.key}`, code: unique.code, message: `duplicates an earlier ${unique.key}` });
      }
      seen.add(key);
    });
  }
}

function validateValue(type: TypeSpec, value: unknown, path: string, errors: FieldError[], context: ScalarContext): void {
  switch (type.kind) {
    case 'object':
      return validateObject(type, value, path, errors, context);
    case 'union':
      return validateUnion(type, value, path, errors, context);
    default:
      for (const issue of checkScalar(type, value, context)) {
        errors.push({ path, ...issue });
      }
  }
}

function validateUnion(type: UnionSpec, value: unknown, path: string, errors: FieldError[], context: ScalarContext): void {
  if (!isPlainObject(value)) {
    errors.push({ path, code: 'type', message: 'must be an object' });
    return;
  }
  const kindPath = join(path, type.discriminator);
  const kind = value[type.discriminator];
  if (kind === undefined) {
    errors.push({ path: kindPath, code: 'required', message: 'is required' });
    return;
  }
  const variant = typeof kind === 'string' && Object.hasOwn(type.variants, kind) ? type.variants[kind] : undefined;
  if (!variant) {
    const kinds = Object.keys(type.variants).join(', ');
    errors.push({ path: kindPath, code: 'unknown_document_type', message: `must be one of ${kinds}` });
    return;
  }
  validateObject(variant.spec, value, path, errors, context, [type.discriminator]);
}

function checkRule(rule: ObjectRule, value: Json, path: string, errors: FieldError[]): void {
  if (rule.kind === 'count') {
    const count = value[rule.count];
    const items = value[rule.list];
    if (Number.isInteger(count) && Array.isArray(items) && count !== items.length) {
      errors.push({
        path: join(path, rule.count),
        code: 'count_mismatch',
        message: `is ${String(count)} but ${rule.list} holds ${items.length} item(s)`,
      });
    }
    return;
  }
  const present = rule.branches.filter((b) => b.members.some((m) => value[m] !== undefined));
  if (present.length > 1) {
    const clash = present[1].members.find((m) => value[m] !== undefined)!;
    errors.push({ path: join(path, clash), code: rule.code, message: `give ${describe(rule.branches)}, not both` });
  } else if (present.length === 0 && !rule.optional) {
    errors.push({ path: join(path, rule.branches[0].required[0]), code: rule.code, message: `give ${describe(rule.branches)}` });
  } else if (present.length === 1) {
    for (const member of present[0].required.filter((m) => value[m] === undefined)) {
      errors.push({ path: join(path, member), code: 'required', message: `is required with ${present[0].required.join(' and ')}` });
    }
  }
}

function describe(branches: readonly ChoiceBranch[]): string {
  return branches.map((b) => (b.required.length > 0 ? b.required : b.members).join(' + ')).join(' or ');
}

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}
