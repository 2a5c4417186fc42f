import { Body, Query } from '@nestjs/common';
import { z } from 'zod';
import { documentZodQuery } from '../openapi/api-query.decorator';
import { ZodValidationPipe } from './zod-validation.pipe';

export const ZodBody = (schema: z.ZodType): ParameterDecorator => Body(new ZodValidationPipe(schema, 'body'));

/** Validates the query with `schema` and lists its parameters in the OpenAPI document. */
export const ZodQuery =
  (schema: z.ZodType): ParameterDecorator =>
  (target, key, index) => {
    Query(new ZodValidationPipe(schema, 'query'))(target, key, index);
    if (key !== undefined) documentZodQuery(schema, target, key);
  };
