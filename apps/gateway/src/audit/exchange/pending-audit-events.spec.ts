import { EventEmitter } from 'node:events';
import type { Request } from 'express';
import { CLS_REQ, ClsService } from 'nestjs-cls';
import type { AuditRepository } from '../audit.repository';
import type { AuditEventInput } from '../audit.types';
import { auditEventInput } from '../../../../../test/support/audit-event';
import { PendingAuditEvents } from './pending-audit-events';

const event = (type: string): AuditEventInput =>
  auditEventInput({ category: type === 'request' ? 'inbound' : 'exchange', type, requestId: 'r1', outcome: type });

describe('PendingAuditEvents', () => {
  let batches: string[][];
  let written: AuditEventInput[][];
  let failWhen: (types: string[]) => boolean;
  let res: EventEmitter & { writableEnded: boolean; destroyed: boolean };
  let req: Request;
  let active: boolean;
  let pending: PendingAuditEvents;
  let store: Record<string, unknown>;

  beforeEach(() => {
    batches = [];
    written = [];
    failWhen = () => false;
    res = Object.assign(new EventEmitter(), { writableEnded: false, destroyed: false });
    req = { res, method: 'POST' } as unknown as Request;
    active = true;
    store = {};
    const cls = { isActive: () => active, get: (key: string | symbol) => (key === CLS_REQ ? req : store[key as string]) } as unknown as ClsService;
    const repository = {
      appendAll: async (events: AuditEventInput[]) => {
        const types = events.map((e) => e.type);
        written.push(events);
        if (failWhen(types)) throw new Error('store down');
        batches.push(types);
        return [];
      },
    } as unknown as AuditRepository;
    pending = new PendingAuditEvents(cls, repository);
  });

  const settle = () => new Promise((r) => setImmediate(r));

  it('holds exchange outcomes and writes them with the inbound event in one batch', async () => {
    expect(pending.defer(event('completed'))).toBe(true);
    expect(pending.defer(event('failed'))).toBe(true);
    await pending.appendWith(req, event('request'));
    expect(batches).toEqual([['completed', 'failed', 'request']]);
    res.emit('close');
    await settle();
    expect(batches).toHaveLength(1);
  });

  it('holds a job batch\'s outcomes for its caller, with their identity fixed, instead of the request\'s', async () => {
    const held: AuditEventInput[] = [];
    Object.assign(store, pending.holdIn(held));
    expect(pending.defer(event('completed'))).toBe(true);
    expect(held.map((e) => e.type)).toEqual(['completed']);
    expect(held[0].id).toEqual(expect.any(String));
    expect(held[0].occurredAt).toBeInstanceOf(Date);
    await pending.appendWith(req, event('request'));
    expect(batches).toEqual([['request']]);
  });

  it('writes what no inbound event took when the response closes', async () => {
    pending.defer(event('completed'));
    res.emit('close');
    await settle();
    expect(batches).toEqual([['completed']]);
  });

  it('saves the exchange outcomes on their own when the combined write fails, and still reports the failure', async () => {
    failWhen = (types) => types.includes('request');
    pending.defer(event('completed'));
    await expect(pending.appendWith(req, event('request'))).rejects.toThrow('store down');
    expect(batches).toEqual([['completed']]);
  });

  it('retries the exchange outcomes as the same events (ids, times), so a write that did commit is not copied', async () => {
    failWhen = (types) => types.includes('request');
    pending.defer(event('completed'));
    await expect(pending.appendWith(req, event('request'))).rejects.toThrow('store down');
    const [[first], [retried]] = written;
    expect(first.id).toEqual(expect.any(String));
    expect(first.occurredAt).toBeInstanceOf(Date);
    expect(retried).toEqual(first);
  });

  it('refuses outside a request or after the response has closed, so the caller writes at once', () => {
    active = false;
    expect(pending.defer(event('completed'))).toBe(false);
    active = true;
    res.writableEnded = true;
    expect(pending.defer(event('completed'))).toBe(false);
  });
});
