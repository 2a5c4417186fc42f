/**
 * A small description language for the XSD: one table per complex type drives the validator, the encoder and the
 * decoder, so element order, optionality and constraints are written down once.
 */
export type ScalarSpec =
  | { kind: 'string'; minLength?: number; maxLength?: number; pattern?: RegExp }
  /** USIType: 10 characters of the USI alphabet with a valid check character. */
  | { kind: 'usi' }
  | { kind: 'int'; maxInclusive?: number }
  | { kind: 'boolean' }
  /**
   * xs:date as YYYY-MM-DD; `allowYearMonth` adds xs:gYearMonth (YYYY-MM). `birth` adds the registry's rule for a date
   * of birth, which the XSD does not state: from {@link EARLIEST_DATE_OF_BIRTH} up to today (see `todayAnywhere`).
   */
  | { kind: 'date'; allowYearMonth?: boolean; birth?: boolean }
  | { kind: 'dateTime' }
  | { kind: 'enum'; values: readonly string[] };

export interface ObjectSpec {
  kind: 'object';
  /** In XSD sequence order; members of an xs:choice are listed inline and marked optional. */
  fields: readonly FieldSpec[];
  rules?: readonly ObjectRule[];
}

/** An abstract XSD type whose concrete type is named by `xsi:type`, e.g. DVSDocumentType. */
export interface UnionSpec {
  kind: 'union';
  discriminator: string;
  variants: Readonly<Record<string, { xsiType: string; spec: ObjectSpec }>>;
}

export type TypeSpec = ScalarSpec | ObjectSpec | UnionSpec;

export interface ListSpec {
  /** Name of each repeated child inside the wrapper element. */
  item: string;
  minOccurs: number;
  maxOccurs?: number;
  /** xs:key over the items. */
  unique?: { key: string; code: string };
}

export interface FieldSpec {
  /** JSON property: the XSD element name in camelCase. */
  key: string;
  /** XSD element local name. */
  xml: string;
  type: TypeSpec;
  optional: boolean;
  nillable: boolean;
  list?: ListSpec;
}

export interface ChoiceBranch {
  members: readonly string[];
  required: readonly string[];
}

export type ObjectRule =
  /** At most one branch may be present; a present branch needs its required members. */
  | { kind: 'choice'; code: string; optional: boolean; branches: readonly ChoiceBranch[] }
  /** NoOfVerifications / NoOfApplications must equal the number of items sent. */
  | { kind: 'count'; count: string; list: string };

/** `USIStatus` → `usiStatus`, `DVSCheckRequired` → `dvsCheckRequired`, `CRN` → `crn`. */
export function camelKey(xmlName: string): string {
  const leadingCaps = /^[A-Z]+/.exec(xmlName)?.[0] ?? '';
  if (leadingCaps.length === xmlName.length) {
    return xmlName.toLowerCase();
  }
  if (leadingCaps.length <= 1) {
    return xmlName.charAt(0).toLowerCase() + xmlName.slice(1);
  }
  const lowered = leadingCaps.length - 1;
  return xmlName.slice(0, lowered).toLowerCase() + xmlName.slice(lowered);
}

interface FieldOptions {
  optional?: boolean;
  nillable?: boolean;
  list?: ListSpec;
}

export function el(xml: string, type: TypeSpec, options: FieldOptions = {}): FieldSpec {
  return {
    key: camelKey(xml),
    xml,
    type,
    optional: options.optional ?? false,
    nillable: options.nillable ?? false,
    list: options.list,
  };
}

export function opt(xml: string, type: TypeSpec, options: Omit<FieldOptions, 'optional'> = {}): FieldSpec {
  return el(xml, type, { ...options, optional: true });
}

/** A wrapper element holding repeated items, e.g. `Verifications/Verification*`. */
export function list(xml: string, item: string, type: TypeSpec, spec: Omit<ListSpec, 'item'>, optional = false): FieldSpec {
  return el(xml, type, { optional, list: { item, ...spec } });
}

export function obj(fields: readonly FieldSpec[], rules?: readonly ObjectRule[]): ObjectSpec {
  return { kind: 'object', fields, rules };
}

export const str = (limits: { minLength?: number; maxLength?: number; pattern?: RegExp } = {}): ScalarSpec => ({
  kind: 'string',
  ...limits,
});
export const enumOf = (values: readonly string[]): ScalarSpec => ({ kind: 'enum', values });
export const INT: ScalarSpec = { kind: 'int' };
export const BOOLEAN: ScalarSpec = { kind: 'boolean' };
export const DATE: ScalarSpec = { kind: 'date' };
/** A person's date of birth: a real date, not before 1900, not in the future. */
export const DATE_OF_BIRTH: ScalarSpec = { kind: 'date', birth: true };
export const EARLIEST_DATE_OF_BIRTH = '1900-01-01';
export const DATE_TIME: ScalarSpec = { kind: 'dateTime' };
export const USI: ScalarSpec = { kind: 'usi' };

/** XSD patterns are implicitly anchored. */
export function xsdPattern(source: string): RegExp {
  return new RegExp(`^(?:${source})$`);
}
