import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { schemasFor, type UsiOperation } from '@usi/contract';

/**
 * JSON Schemas for the OpenAPI document, from the very XSD tables (`@usi/contract`) that validate the USI bodies and
 * decode the Registry's answers, so the document cannot drift from them. Rules across fields (name choices, counts)
 * are left to the prose and the 400 `request.validation` answer.
 */
type ObjectSpec = ReturnType<typeof schemasFor>[UsiOperation]['request'];
type FieldSpec = ObjectSpec['fields'][number];
type TypeSpec = FieldSpec['type'];

function typeSchema(spec: TypeSpec): SchemaObject {
  switch (spec.kind) {
    case 'object':
      return objectSchema(spec);
    case 'union':
      return {
        oneOf: Object.entries(spec.variants).map(([value, variant]) => {
          const schema = objectSchema(variant.spec);
          return {
            ...schema,
            properties: { [spec.discriminator]: { type: 'string', enum: [value] }, ...schema.properties },
            required: [spec.discriminator, ...(schema.required ?? [])],
          };
        }),
      };
    case 'string':
      return { type: 'string', minLength: spec.minLength, maxLength: spec.maxLength, pattern: spec.pattern?.source };
    case 'usi':
      return { type: 'string', pattern: '^[A-Za-z0-9]{10}$', description: 'A USI (10 characters, the last a check character)' };
    case 'int':
      return { type: 'integer', maximum: spec.maxInclusive };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return spec.allowYearMonth ? { type: 'string', pattern: '^\\d{4}-\\d{2}(-\\d{2})?$' } : { type: 'string', format: 'date' };
    case 'dateTime':
      return { type: 'string', format: 'date-time' };
    case 'enum':
      return { type: 'string', enum: [...spec.values] };
  }
}

function fieldSchema(field: FieldSpec): SchemaObject {
  const item = typeSchema(field.type);
  const schema: SchemaObject = field.list ? { type: 'array', items: item, minItems: field.list.minOccurs, maxItems: field.list.maxOccurs } : item;
  return field.nillable ? { ...schema, nullable: true } : schema;
}

function objectSchema(spec: ObjectSpec, drop: readonly string[] = [], optional: readonly string[] = []): SchemaObject {
  const fields = spec.fields.filter((f) => !drop.includes(f.key));
  const required = fields.filter((f) => !f.optional && !optional.includes(f.key)).map((f) => f.key);
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.key, fieldSchema(f)])),
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

const withoutUndefined = (schema: SchemaObject): SchemaObject => JSON.parse(JSON.stringify(schema)) as SchemaObject;

/** The REST body of `op`: its request minus what the gateway fills in (`drop`), `optional` made optional. */
export function usiRequestSchema(op: UsiOperation, drop: readonly string[], optional: readonly string[] = []): SchemaObject {
  return withoutUndefined(objectSchema(schemasFor()[op].request, drop, optional));
}

/** The answer of `op` less what the route keeps back (`drop`), or only one of its members (`field`). */
export function usiResponseSchema(op: UsiOperation, options: { field?: string; drop?: readonly string[] } = {}): SchemaObject {
  const response = schemasFor()[op].response;
  const member = options.field ? response.fields.find((f) => f.key === options.field) : undefined;
  return withoutUndefined(member ? fieldSchema(member) : objectSchema(response, options.drop));
}

/** A member of `op`'s request as a body of its own (CreateUSI's body is the application), `optional` made optional. */
export function usiRequestMemberSchema(op: UsiOperation, field: string, optional: readonly string[] = []): SchemaObject {
  const member = schemasFor()[op].request.fields.find((f) => f.key === field);
  if (member?.type.kind !== 'object') throw new Error(`${op}.${field} is not an object`);
  return withoutUndefined(objectSchema(member.type, [], optional));
}
