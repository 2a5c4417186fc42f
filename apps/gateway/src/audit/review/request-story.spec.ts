import type { StoredAuditEvent } from '../audit.types';
import { buildRequestStory, guidanceFor } from './request-story';

let seq = 0;
function row(fields: Partial<StoredAuditEvent>): StoredAuditEvent {
  seq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    occurredAt: new Date(Date.UTC(2026, 11, 4, 5, 0, 0, seq)).toISOString(),
    chainId: 'org:o1',
    keyId: null,
    chainSeq: seq,
    vendorId: 'v1',
    organisationId: 'o1',
    category: 'exchange',
    type: 'started',
    requestId: 'r1',
    actor: null,
    operation: null,
    outcome: null,
    httpStatus: null,
    errorCode: null,
    usiHmac: null,
    usiMasked: null,
    relatedEventId: null,
    details: {},
    prevHash: 'p',
    hash: 'h',
    ...fields,
  };
}

describe('buildRequestStory', () => {
  it('pairs each exchange with its outcome, numbers repeated operations as retries, and leaves an unanswered one unknown', () => {
    const sts = row({ operation: 'Issue', outcome: 'started', details: { kind: 'sts', endpoint: 'https://sts' } });
    const first = row({ operation: 'VerifyUSI', outcome: 'started', details: { kind: 'usi', tokenCacheHit: false } });
    const stsDone = row({ type: 'completed', operation: 'Issue', outcome: 'completed', relatedEventId: sts.id, details: { kind: 'sts', durationMs: 5 } });
    const firstFailed = row({
      type: 'failed', operation: 'VerifyUSI', outcome: 'failed', errorCode: 'upstream.unavailable', httpStatus: 503, relatedEventId: first.id,
      details: { kind: 'usi', durationMs: 7 },
    });
    const second = row({ operation: 'VerifyUSI', outcome: 'started', details: { kind: 'usi', tokenCacheHit: true } });
    const inbound = row({
      category: 'inbound', type: 'request', actor: 'api_key:k1', operation: 'VerifyUSI', outcome: 'server_error', httpStatus: 503,
      errorCode: 'usi.service_unavailable', details: { method: 'POST', route: '/v1/x', actorKind: 'api_key', actorRoles: [], latencyMs: 20 },
    });
    const story = buildRequestStory('r1', [sts, first, stsDone, firstFailed, second, inbound], new Map([['o1', 'VA1802']]), new Set([first.id]));
    expect(story.exchanges.map((x) => [x.operation, x.attempt, x.retry, x.outcome, x.durationMs])).toEqual([
      ['Issue', 1, false, 'completed', 5],
      ['VerifyUSI', 1, false, 'failed', 7],
      ['VerifyUSI', 2, true, 'unknown', null],
    ]);
    expect(story.retries).toBe(1);
    expect(story.exchanges[1].rawExchange).toBe(`/v1/audit/raw-exchanges/${first.id}`);
    expect(story.exchanges.filter((x) => x.rawExchange)).toHaveLength(1);
    expect(story).toMatchObject({
      organisation: { id: 'o1', orgCode: 'VA1802' },
      actor: { id: 'api_key:k1', kind: 'api_key' },
      inbound: { eventId: inbound.id, httpStatus: 503, route: '/v1/x', latencyMs: 20 },
      errorCode: 'usi.service_unavailable',
      guidance: { code: 'usi.service_unavailable', docs: '/docs/errors#usi.service_unavailable' },
    });
  });

  it('without an inbound event (a background job) takes the last failed exchange as the outcome', () => {
    const started = row({ operation: 'BulkUploadRetrieve', details: { kind: 'usi' } });
    const failed = row({ type: 'failed', operation: 'BulkUploadRetrieve', outcome: 'failed', errorCode: 'upstream.timeout', relatedEventId: started.id });
    const story = buildRequestStory('r1', [started, failed], new Map(), new Set());
    expect(story).toMatchObject({ inbound: null, actor: null, outcome: 'failed', errorCode: 'upstream.timeout', organisation: { id: 'o1', orgCode: null } });
  });

  it('explains a code outside the upstream table by its title only, and nothing for no code', () => {
    expect(guidanceFor('authorisation.not_active')).toEqual({ code: 'authorisation.not_active', title: expect.any(String) });
    expect(guidanceFor(null)).toBeNull();
  });
});
