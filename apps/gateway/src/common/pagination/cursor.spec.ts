import fc from 'fast-check';
import { decodeCursor, encodeCursor, toPage } from './cursor';

describe('cursor', () => {
  it('round-trips any (createdAt, id) position', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true }), fc.uuid(), (createdAt, id) => {
        expect(decodeCursor(encodeCursor({ createdAt, id }))).toEqual({ createdAt, id });
      }),
    );
  });

  it.each(['', 'bm9wZQ', Buffer.from('2026-01-01T00:00:00.000Z|not-a-uuid').toString('base64url')])(
    'rejects %p with request.invalid_cursor',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ code: 'request.invalid_cursor' }));
    },
  );

  it('returns a next cursor only when a further row exists', () => {
    const rows = [1, 2, 3].map((n) => ({ id: `00000000-0000-4000-8000-00000000000${n}`, createdAt: new Date(n) }));
    expect(toPage(rows.slice(0, 2), 2).nextCursor).toBeNull();
    const page = toPage(rows, 2);
    expect(page.items).toHaveLength(2);
    expect(decodeCursor(page.nextCursor!)).toEqual({ createdAt: rows[1].createdAt, id: rows[1].id });
  });
});
