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

const EVENT_EXAMPLE = {
  id: '0b6f8a52-3f1c-4c35-9a53-5b8a7d1f2e10',
  occurredAt: '2026-12-04T05:00:00.123Z',
  chainId: 'org:7a0c…',
  chainSeq: 42,
  vendorId: '5d1e…',
  organisationId: '7a0c…',
  category: 'exchange',
  type: 'completed',
  requestId: 'b3c1…',
  actor: null,
  operation: 'CreateUSI',
  outcome: 'completed',
  httpStatus: 200,
  errorCode: null,
  usiHmac: '9f2c…',
  usiMasked: 'BN******FN',
  relatedEventId: '1c2d…',
  details: { kind: 'usi', durationMs: 412.5, outcome: { result: 'Success' } },
  prevHash: 'aa…',
  hash: 'bb…',
};

export const AUDIT_EXAMPLES = {
  page: { items: [EVENT_EXAMPLE], nextCursor: 'desc.MjAyNi0xMi0wNFQwNTowMDowMC4xMjNafDBiNmY4YTUy…' },
  story: {
    requestId: 'b3c1…',
    vendorId: '5d1e…',
    organisation: { id: '7a0c…', orgCode: 'VA1802' },
    actor: { id: 'api_key:…', kind: 'api_key', roles: [] },
    inbound: {
      eventId: '2e3f…',
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
        exchangeId: '1c2d…',
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
  chain: { chainId: 'vendor:5d1e…', chain: 'vendor', vendorId: '5d1e…', ok: true, checked: 17 },
  chains: {
    ok: false,
    chains: [
      { chainId: 'platform', chain: 'platform', ok: true, checked: 120 },
      { chainId: 'vendor:5d1e…', chain: 'vendor', vendorId: '5d1e…', ok: true, checked: 17 },
      {
        chainId: 'org:7a0c…',
        chain: 'organisation',
        vendorId: '5d1e…',
        organisationId: '7a0c…',
        orgCode: 'VA1802',
        ok: false,
        checked: 2,
        brokenAt: { id: '0b6f…', chainSeq: 3, reason: 'hash_mismatch' },
      },
    ],
  },
};
