import { UsiError } from '../errors/usi-error';
import type { FieldSpec, ObjectSpec, ScalarSpec, TypeSpec, UnionSpec } from '../schema/field-spec';
import { XSI_NS } from '../constants';
import { escapeXml } from './xml-escape';

type Json = Record<string, unknown>;

/**
 * Writes `value` as the root element `name` in `namespace` (the default namespace, so child elements and unprefixed
 * xsi:type QNames resolve to it). `xmlns:xsi` is declared only when a DVSDocument or nil value needs it.
 */
export function encodeRoot(name: string, namespace: string, spec: ObjectSpec, value: unknown): string {
  const state = { usesXsi: false };
  const body = encodeFields(spec, asObject(value, name), state);
  const xsi = state.usesXsi ? ` xmlns:xsi="${XSI_NS}"` : '';
  return `<${name} xmlns="${namespace}"${xsi}>${body}</${name}>`;
}

/** A root element that is itself the list wrapper, e.g. `ArrayOfErrorInfo/ErrorInfo+`. */
export function encodeListRoot(name: string, namespace: string, item: string, spec: ObjectSpec, values: readonly unknown[]): string {
  const state = { usesXsi: false };
  const body = values.map((value) => encodeElement(item, spec, value, state, false)).join('');
  const xsi = state.usesXsi ? ` xmlns:xsi="${XSI_NS}"` : '';
  return `<${name} xmlns="${namespace}"${xsi}>${body}</${name}>`;
}

interface EncodeState {
  usesXsi: boolean;
}

function encodeFields(spec: ObjectSpec, value: Json, state: EncodeState): string {
  let out = '';
  for (const field of spec.fields) {
    const fieldValue = value[field.key];
    if (fieldValue !== undefined) {
      out += encodeField(field, fieldValue, state);
    }
  }
  return out;
}

function encodeField(field: FieldSpec, value: unknown, state: EncodeState): string {
  if (!field.list) {
    return encodeElement(field.xml, field.type, value, state, field.nillable);
  }
  if (!Array.isArray(value)) {
    throw invalid(field.xml, 'an array');
  }
  if (value.length === 0 && field.list.minOccurs > 0) {
    // A wrapper that must hold at least one item is left out rather than sent empty and schema-invalid.
    return '';
  }
  const items = value.map((item) => encodeElement(field.list!.item, field.type, item, state, false)).join('');
  return `<${field.xml}>${items}</${field.xml}>`;
}

function encodeElement(name: string, type: TypeSpec, value: unknown, state: EncodeState, nillable: boolean): string {
  if (value === null && nillable) {
    state.usesXsi = true;
    return `<${name} xsi:nil="true"/>`;
  }
  switch (type.kind) {
    case 'object':
      return `<${name}>${encodeFields(type, asObject(value, name), state)}</${name}>`;
    case 'union':
      return encodeUnion(name, type, value, state);
    default:
      return `<${name}>${escapeXml(formatScalar(name, type, value))}</${name}>`;
  }
}

function encodeUnion(name: string, type: UnionSpec, value: unknown, state: EncodeState): string {
  const json = asObject(value, name);
  const kind = json[type.discriminator];
  const variant = typeof kind === 'string' ? type.variants[kind] : undefined;
  if (!variant) {
    throw new UsiError('contract.invalid_value', `${name}: unknown ${type.discriminator} ${JSON.stringify(kind)}`);
  }
  state.usesXsi = true;
  return `<${name} xsi:type="${variant.xsiType}">${encodeFields(variant.spec, json, state)}</${name}>`;
}

function formatScalar(name: string, type: ScalarSpec, value: unknown): string {
  switch (type.kind) {
    case 'int':
      if (!Number.isSafeInteger(value)) throw invalid(name, 'an integer');
      return String(value);
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(name, 'a boolean');
      return value ? 'true' : 'false';
    default:
      if (typeof value !== 'string') throw invalid(name, 'a string');
      return value;
  }
}

function asObject(value: unknown, name: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(name, 'an object');
  }
  return value as Json;
}

function invalid(name: string, expected: string): UsiError {
  return new UsiError('contract.invalid_value', `${name} must be ${expected}`);
}
