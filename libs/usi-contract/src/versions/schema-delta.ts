import type { FieldSpec, ObjectSpec, TypeSpec } from '../schema/field-spec';
import type { OperationSchemas } from './service-version';

/**
 * Rewrites every object type reachable from the operation schemas. `typeName` is the `xsi:type` of a DVSDocument
 * variant (the only named types the tables carry) and undefined elsewhere. Shared types stay shared.
 */
export function mapSchemaObjects(schemas: OperationSchemas, fn: (spec: ObjectSpec, typeName?: string) => ObjectSpec): OperationSchemas {
  const done = new Map<ObjectSpec, ObjectSpec>();
  const object = (spec: ObjectSpec, typeName?: string): ObjectSpec => {
    const cached = done.get(spec);
    if (cached) return cached;
    const rewritten = fn({ ...spec, fields: spec.fields.map(field) }, typeName);
    done.set(spec, rewritten);
    return rewritten;
  };
  const type = (t: TypeSpec): TypeSpec => {
    if (t.kind === 'object') return object(t);
    if (t.kind === 'union') {
      return {
        ...t,
        variants: Object.fromEntries(Object.entries(t.variants).map(([k, v]) => [k, { ...v, spec: object(v.spec, v.xsiType) }])),
      };
    }
    return t;
  };
  const field = (f: FieldSpec): FieldSpec => ({ ...f, type: type(f.type) });
  return Object.fromEntries(
    Object.entries(schemas).map(([op, s]) => [op, { request: object(s.request), response: object(s.response) }]),
  ) as unknown as OperationSchemas;
}

/** A delta step: the named type (an `xsi:type`) loses one element, e.g. v5→v4 `DriversLicenceDocumentType/CardNumber`. */
export function withoutElement(typeName: string, element: string): (schemas: OperationSchemas) => OperationSchemas {
  return (schemas) =>
    mapSchemaObjects(schemas, (spec, name) => (name === typeName ? { ...spec, fields: spec.fields.filter((f) => f.xml !== element) } : spec));
}
