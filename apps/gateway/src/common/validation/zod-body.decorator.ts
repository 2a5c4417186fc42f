import { Body, Query } from '@nestjs/common';
import { z } from 'zod';
import { ZodValidationPipe } from './zod-validation.pipe';

export const ZodBody = (schema: z.ZodType): ParameterDecorator => Body(new ZodValidationPipe(schema, 'body'));

export const ZodQuery = (schema: z.ZodType): ParameterDecorator => Query(new ZodValidationPipe(schema, 'query'));
