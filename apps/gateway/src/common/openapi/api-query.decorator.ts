import { ApiQuery } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

type ObjectSchema = { properties?: Record<string, SchemaObject>; required?: string[] };

/**
 * Documents each query parameter of a zod-validated query from the very schema that validates it. A parameter
 * decorator (it runs inside `ZodQuery`), so a route cannot validate a query the document does not list.
 */
export function documentZodQuery(schema: z.ZodType, target: object, key: string | symbol): void {
  const { properties = {}, required = [] } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as ObjectSchema;
  const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
  for (const [name, property] of Object.entries(properties)) {
    const { description, ...rest } = property;
    // Coerced values (dates) have no JSON Schema of their own: on the wire they are strings.
    const paramSchema = Object.keys(rest).length ? rest : { type: 'string' as const };
    ApiQuery({ name, required: required.includes(name), description, schema: paramSchema })(target, key, descriptor);
  }
}
