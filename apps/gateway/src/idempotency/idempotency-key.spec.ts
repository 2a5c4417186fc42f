import type { Request } from 'express';
import { AppError } from '../common/errors/app-error';
import { acceptedIdempotencyKey, IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_REPLAYED_HEADER, readIdempotencyKey } from './idempotency-key';

const req = (key?: string | string[]): Request =>
  ({ headers: key === undefined ? {} : { 'idempotency-key': key } }) as unknown as Request;

function codeOf(r: Request): string {
  try {
    readIdempotencyKey(r);
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/Idempotency-Key/);
    return (err as AppError).code;
  }
}

describe('readIdempotencyKey', () => {
  it('reads the Idempotency-Key header (Node lower-cases header names) and names the replay header', () => {
    expect(IDEMPOTENCY_KEY_HEADER).toBe('idempotency-key');
    expect(IDEMPOTENCY_REPLAYED_HEADER).toBe('Idempotency-Replayed');
  });

  it.each<[string, string | string[] | undefined, string]>([
    ['absent', undefined, 'idempotency.key_required'],
    ['empty', '', 'idempotency.key_required'],
    ['one character', 'k', 'accepted'],
    ['255 characters', 'k'.repeat(255), 'accepted'],
    ['printable ASCII with spaces and symbols', ' a~Z 0-9 !"#$%&()*+,./:;<=>?@[]^_`{|}', 'accepted'],
    ['256 characters', 'k'.repeat(256), 'idempotency.invalid_key'],
    ['a control character first', '\x01key', 'idempotency.invalid_key'],
    ['a control character last', 'key\x7f', 'idempotency.invalid_key'],
    ['non-ASCII', 'clé-1', 'idempotency.invalid_key'],
    ['given twice (a list)', ['a', 'b'], 'idempotency.invalid_key'],
  ])('%s', (_, key, expected) => {
    expect(codeOf(req(key))).toBe(expected);
  });

  it('remembers the accepted key on the request, and only an accepted one', () => {
    const ok = req('enrol-1');
    expect(acceptedIdempotencyKey(ok)).toBeUndefined();
    expect(readIdempotencyKey(ok)).toBe('enrol-1');
    expect(acceptedIdempotencyKey(ok)).toBe('enrol-1');
    const bad = req('k'.repeat(256));
    expect(() => readIdempotencyKey(bad)).toThrow(AppError);
    expect(acceptedIdempotencyKey(bad)).toBeUndefined();
  });
});
