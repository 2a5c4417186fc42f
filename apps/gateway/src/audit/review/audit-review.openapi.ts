import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** The documented shapes of the audit review answers (`StoredAuditEvent`, `ChainVerification`). */
const nullable = (type: 'string' | 'integer'): SchemaObject => ({ type, nullable: true });

const EVENT_EXAMPLE = {
  id: '0c6f…',
  occurredAt: '2026-03-01T10:15:00.000Z',
  chainId: '1f0c…',
  chainSeq: 42,
  vendorId: '1f0c…',
  organisationId: '9b1f…',
  category: 'inbound',
  type: 'usi.request',
  requestId: 'b3c1…',
  actor: 'api_key:7d2e…',
  operation: 'VerifyUSI',
  outcome: 'completed',
  httpStatus: 200,
  errorCode: null,
  usiHmac: '5e88…',
  usiMasked: 'BN******FN',
  relatedEventId: null,
  details: {},
  prevHash: '9a1b…',
  hash: '77c0…',
};

/** Identifiers, outcomes and digests only: never names, dates of birth or a USI in clear. */
export const AUDIT_EVENT_SCHEMA: SchemaObject = {
  type: 'object',
  required: Object.keys(EVENT_EXAMPLE),
  properties: {
    id: { type: 'string' },
    occurredAt: { type: 'string', format: 'date-time' },
    chainId: { type: 'string' },
    chainSeq: { type: 'integer' },
    vendorId: nullable('string'),
    organisationId: nullable('string'),
    category: { type: 'string', enum: ['inbound', 'exchange', 'security'] },
    type: { type: 'string' },
    requestId: nullable('string'),
    actor: nullable('string'),
    operation: nullable('string'),
    outcome: nullable('string'),
    httpStatus: nullable('integer'),
    errorCode: nullable('string'),
    usiHmac: nullable('string'),
    usiMasked: nullable('string'),
    relatedEventId: nullable('string'),
    details: { type: 'object', additionalProperties: true, description: 'What the event type records (no personal data)' },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
};

export const AUDIT_PAGE = {
  schema: {
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: AUDIT_EVENT_SCHEMA }, nextCursor: nullable('string') },
    example: { items: [EVENT_EXAMPLE], nextCursor: null },
  } as SchemaObject,
};

export const AUDIT_REQUEST = {
  schema: {
    type: 'object',
    required: ['requestId', 'events'],
    properties: { requestId: { type: 'string' }, events: { type: 'array', items: AUDIT_EVENT_SCHEMA } },
    example: { requestId: 'b3c1…', events: [EVENT_EXAMPLE] },
  } as SchemaObject,
};

export const CHAIN_VERIFICATION = {
  schema: {
    type: 'object',
    required: ['chainId', 'ok', 'checked'],
    properties: {
      chainId: { type: 'string' },
      ok: { type: 'boolean' },
      checked: { type: 'integer', description: 'Events checked' },
      brokenAt: {
        type: 'object',
        required: ['id', 'chainSeq', 'reason'],
        properties: {
          id: nullable('string'),
          chainSeq: { type: 'integer' },
          reason: { type: 'string', enum: ['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap', 'head_mismatch'] },
        },
      },
    },
    example: { chainId: '1f0c…', ok: true, checked: 1280 },
  } as SchemaObject,
};
