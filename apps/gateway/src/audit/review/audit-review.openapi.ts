import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

/** The search filters, as the OpenAPI document lists them (the zod schema in audit-filter.ts validates them). */
const FILTERS: [name: string, description: string, example?: string][] = [
  ['from', 'Events at or after this instant (ISO 8601).', '2026-12-01T00:00:00Z'],
  ['to', 'Events before this instant (ISO 8601).', '2026-12-02T00:00:00Z'],
  ['vendor', 'Vendor id: platform staff pick a vendor; a vendor’s own readers may name only their own (another is 404 vendor.not_found).'],
  ['organisation', 'Organisation code; 404 organisation.not_found when none the caller may read has it.', 'VA1802'],
  ['category', '`inbound`, `exchange` or `security`.', 'exchange'],
  ['operation', 'Operation name, e.g. `VerifyUSI`, `CreateUSI`.', 'CreateUSI'],
  ['outcome', 'Row outcome (`success`, `client_error`, `failed`…) or business outcome (`Match`, `Valid`, `Success`…).', 'failed'],
  ['errorCode', 'Problem or exchange error code.', 'usi.validation'],
  ['requestId', 'The X-Request-Id of one request.'],
  ['usi', 'A USI typed in full: matched by its HMAC, never stored or logged in clear.', 'BNGH7C75FN'],
  ['order', '`desc` (default, newest first) or `asc`.', 'desc'],
];

export function ApiAuditFilters(paged: boolean): MethodDecorator {
  const params = paged
    ? [...FILTERS, ['limit', 'Page size, 1–200 (default 50).', '50'] as const, ['cursor', 'The `nextCursor` of the previous page (same order).'] as const]
    : FILTERS;
  return applyDecorators(
    ...params.map(([name, description, example]) =>
      ApiQuery({ name, required: false, description, ...(name === 'order' ? { enum: ['desc', 'asc'] } : { type: String }), ...(example ? { example } : {}) }),
    ),
  );
}

const VENDOR_ID = '5d1e2f30-8a41-4b6c-9d7e-0f1a2b3c4d5e';
const ORGANISATION_ID = '7a0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d';
const EXCHANGE_ID = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const REQUEST_ID = 'b3c1d2e4-0f5a-4b6c-8d7e-9f0a1b2c3d4e';

const EVENT_EXAMPLE = {
  id: '0b6f8a52-3f1c-4c35-9a53-5b8a7d1f2e10',
  occurredAt: '2026-12-04T05:00:00.123Z',
  chainId: `org:${ORGANISATION_ID}`,
  chainSeq: 42,
  vendorId: VENDOR_ID,
  organisationId: ORGANISATION_ID,
  category: 'exchange',
  type: 'completed',
  requestId: REQUEST_ID,
  actor: null,
  operation: 'CreateUSI',
  outcome: 'completed',
  httpStatus: 200,
  errorCode: null,
  usiHmac: '9f2c4b1e7a3d5c6f8e0a2b4d6f8a0c2e4b6d8f0a2c4e6a8b0d2f4a6c8e0b2d4f',
  usiMasked: 'BN******FN',
  relatedEventId: EXCHANGE_ID,
  details: { kind: 'usi', durationMs: 412.5, outcome: { result: 'Success' } },
  prevHash: 'aa01b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f',
  hash: 'bb01b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f',
  keyId: 'k2026-11',
};

/** What a chain's verification adds to the chain it names (chain-verifier.ts, ChainVerification). */
const VERIFIED = { keyIds: ['k2026-11'], unkeyedEvents: 0, checkpoint: null, anchorProblems: [] };

export const AUDIT_EXAMPLES = {
  page: { items: [EVENT_EXAMPLE], nextCursor: 'desc.MjAyNi0xMi0wNFQwNTowMDowMC4xMjNafDBiNmY4YTUy…' },
  story: {
    requestId: REQUEST_ID,
    vendorId: VENDOR_ID,
    organisation: { id: ORGANISATION_ID, orgCode: 'VA1802' },
    actor: { id: 'api_key:…', kind: 'api_key', roles: [] },
    inbound: {
      eventId: '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b',
      occurredAt: '2026-12-04T05:00:00.600Z',
      method: 'POST',
      route: '/v1/organisations/:orgCode/usis',
      operation: 'CreateUSI',
      httpStatus: 422,
      outcome: 'client_error',
      errorCode: 'usi.validation',
      latencyMs: 480.2,
      usiMasked: null,
    },
    outcome: 'client_error',
    errorCode: 'usi.validation',
    guidance: { code: 'usi.validation', title: 'The USI Registry refused the content of the request', meaning: '…', vendor: ['…'], provider: ['…'], docs: '/docs/errors#usi.validation' },
    exchanges: [
      {
        exchangeId: EXCHANGE_ID,
        kind: 'usi',
        operation: 'CreateUSI',
        endpoint: 'https://…/USIService.svc',
        attempt: 1,
        retry: false,
        startedAt: '2026-12-04T05:00:00.150Z',
        finishedAt: '2026-12-04T05:00:00.560Z',
        durationMs: 410.3,
        outcome: 'failed',
        httpStatus: 500,
        errorCode: 'usi.fault',
        upstream: { code: 1002, title: 'Generic Validation', message: '…' },
        result: null,
        tokenCacheHit: true,
        usiMasked: null,
        guidance: { code: 'usi.fault', title: 'usi.fault' },
      },
    ],
    retries: 0,
    securityEvents: [],
    events: [EVENT_EXAMPLE],
  },
  chain: { chain: 'vendor', vendorId: VENDOR_ID, chainId: `vendor:${VENDOR_ID}`, ok: true, checked: 17, ...VERIFIED },
  chains: {
    ok: false,
    chains: [
      { chainId: 'platform', chain: 'platform', ok: true, checked: 120, ...VERIFIED, checkpoint: { seq: 118, at: '2026-12-04T04:55:00.000Z', keyId: 'k2026-11', hash: 'cc01b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f' } },
      { chainId: `vendor:${VENDOR_ID}`, chain: 'vendor', vendorId: VENDOR_ID, ok: true, checked: 17, ...VERIFIED },
      {
        chainId: `org:${ORGANISATION_ID}`,
        chain: 'organisation',
        vendorId: VENDOR_ID,
        organisationId: ORGANISATION_ID,
        orgCode: 'VA1802',
        ok: false,
        checked: 2,
        brokenAt: { id: '0b6f8a52-3f1c-4c35-9a53-5b8a7d1f2e10', chainSeq: 3, reason: 'hash_mismatch' },
        ...VERIFIED,
      },
    ],
  },
};

/*
 * Response schemas, from what builds each answer: StoredAuditEvent (audit.types.ts, read by toStoredEvent), Page,
 * RequestStory (request-story.ts) and ChainReport / ChainsReport (audit-review.service.ts, chain-verifier.ts).
 * Closed where the answer is: only `details`, `result` and an exchange's `upstream` carry what the writer put there.
 */
type Schema = Record<string, unknown>;

const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const nullable = (schema: Schema): Schema => ({ ...schema, nullable: true });
const uuid = str({ format: 'uuid' });
const dateTime = str({ format: 'date-time' });
const hex64 = str({ pattern: '^[0-9a-f]{64}$' });
const int = { type: 'integer' };
const closed = (properties: Record<string, Schema>, optional: readonly string[] = [], description?: string): Schema => ({
  type: 'object',
  ...(description ? { description } : {}),
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
  additionalProperties: false,
});

const EVENT_SCHEMA = closed(
  {
    id: uuid,
    occurredAt: dateTime,
    chainId: str({ description: '`platform`, `vendor:<vendor id>` or `org:<organisation id>`' }),
    chainSeq: { type: 'integer', minimum: 1 },
    vendorId: nullable(uuid),
    organisationId: nullable(uuid),
    category: str({ enum: ['inbound', 'exchange', 'security'] }),
    type: str(),
    requestId: nullable(str()),
    actor: nullable(str()),
    operation: nullable(str()),
    outcome: nullable(str()),
    httpStatus: nullable(int),
    errorCode: nullable(str()),
    usiHmac: nullable({ ...hex64, description: 'HMAC of the USI (search with `usi`); never the USI in clear' }),
    usiMasked: nullable(str()),
    relatedEventId: nullable(uuid),
    details: { type: 'object', additionalProperties: true, description: 'What the event carries besides the columns (never personal data)' },
    prevHash: hex64,
    hash: hex64,
    keyId: nullable(str({ description: 'The chain key of the row’s HMAC; null on rows written before the chain was keyed' })),
  },
  [],
  'One audit row as stored and hashed.',
);

const GUIDANCE_SCHEMA = closed(
  { code: str(), title: str(), meaning: str(), vendor: { type: 'array', items: str() }, provider: { type: 'array', items: str() }, docs: str() },
  ['meaning', 'vendor', 'provider', 'docs'],
  'What the error code means: the /docs/errors row for upstream errors, else the code’s title.',
);

const EXCHANGE_SCHEMA = closed(
  {
    exchangeId: uuid,
    kind: nullable(str({ description: '`sts` or `usi`' })),
    operation: nullable(str()),
    endpoint: nullable(str()),
    attempt: { type: 'integer', minimum: 1 },
    retry: { type: 'boolean' },
    startedAt: dateTime,
    finishedAt: nullable(dateTime),
    durationMs: nullable({ type: 'number' }),
    outcome: str({ enum: ['completed', 'failed', 'unknown'], description: '`unknown`: no outcome row (the process stopped while the call was in flight)' }),
    httpStatus: nullable(int),
    errorCode: nullable(str()),
    upstream: nullable(closed({ code: int, title: str(), message: str() }, ['code', 'title', 'message'], 'The Registry’s own error')),
    result: nullable({ type: 'object', additionalProperties: true, description: 'The business outcome summary, never personal data' }),
    tokenCacheHit: nullable({ type: 'boolean' }),
    usiMasked: nullable(str()),
    guidance: nullable(GUIDANCE_SCHEMA),
    rawExchange: str({ description: 'platform_admin only, when the raw SOAP is retained: where to read it' }),
  },
  ['rawExchange'],
);

const STORY_SCHEMA = closed({
  requestId: str(),
  vendorId: nullable(uuid),
  organisation: nullable(closed({ id: uuid, orgCode: nullable(str()) })),
  actor: nullable(closed({ id: str(), kind: nullable(str({ enum: ['api_key', 'user', null], description: 'Null on a row that did not record it' })), roles: { type: 'array', items: str() } })),
  inbound: nullable(
    closed(
      {
        eventId: uuid,
        occurredAt: dateTime,
        method: nullable(str()),
        route: nullable(str()),
        operation: nullable(str()),
        httpStatus: nullable(int),
        outcome: nullable(str()),
        errorCode: nullable(str()),
        latencyMs: nullable({ type: 'number' }),
        usiMasked: nullable(str()),
      },
      [],
      'The inbound call as the gateway answered it; null when only exchanges (a background job) carry this id',
    ),
  ),
  outcome: nullable(str()),
  errorCode: nullable(str()),
  guidance: nullable(GUIDANCE_SCHEMA),
  exchanges: { type: 'array', items: EXCHANGE_SCHEMA },
  retries: { type: 'integer', minimum: 0 },
  securityEvents: { type: 'array', items: EVENT_SCHEMA },
  events: { type: 'array', items: EVENT_SCHEMA, description: 'Every row, oldest first, as stored' },
});

const CHAIN_SCHEMA = closed(
  {
    chainId: str(),
    chain: str({ enum: ['platform', 'vendor', 'organisation'] }),
    vendorId: uuid,
    organisationId: uuid,
    orgCode: str(),
    ok: { type: 'boolean' },
    checked: { type: 'integer', minimum: 0, description: 'Rows checked' },
    brokenAt: closed(
      {
        id: nullable(uuid),
        chainSeq: int,
        reason: str({ enum: ['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap', 'head_mismatch', 'unkeyed_event', 'key_unavailable', 'checkpoint_mismatch', 'truncated'] }),
      },
      [],
      'The first broken link (`id` null when the break is past the last row: head or checkpoint)',
    ),
    keyIds: { type: 'array', items: str(), description: 'The chain keys the checked rows’ HMACs were verified with' },
    unkeyedEvents: { type: 'integer', minimum: 0, description: 'Rows checked with the unkeyed version-1 hash' },
    checkpoint: nullable(closed({ seq: int, at: dateTime, keyId: str(), hash: hex64 }, [], 'The latest checkpoint the chain was checked against')),
    anchorProblems: { type: 'array', items: str(), description: 'Anchor store entries that failed their signature or order' },
  },
  ['vendorId', 'organisationId', 'orgCode', 'brokenAt'],
  'One chain and its verification',
);

const CHAINS_SCHEMA = closed({ ok: { type: 'boolean', description: 'True only when every chain is intact' }, chains: { type: 'array', items: CHAIN_SCHEMA } });

export const AUDIT_SCHEMAS = {
  page: closed({ items: { type: 'array', items: EVENT_SCHEMA }, nextCursor: nullable(str({ description: 'Null on the last page' })) }),
  story: STORY_SCHEMA,
  /** `organisation` or `vendor` named: one chain; neither: every chain in reach. */
  verify: { oneOf: [CHAIN_SCHEMA, CHAINS_SCHEMA] },
};
