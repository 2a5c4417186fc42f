import { applyDecorators } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/** Documents a zod-validated body from the very schema that validates it, plus a ready-to-send example. */
export const ApiZodBody = (schema: z.ZodType, example: unknown) =>
  applyDecorators(
    ApiBody({ schema: { ...(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as SchemaObject), example } }),
  );
