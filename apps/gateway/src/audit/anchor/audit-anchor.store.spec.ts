import { assertChainId, parseCheckpoint } from './audit-anchor.store';

const ORG = 'org:1b4e28ba-2fa1-11d2-883f-0016d3cca427';

describe('assertChainId', () => {
  it('accepts the platform chain and organisation and vendor chains named by a lower-case UUID', () => {
    for (const id of ['platform', ORG, 'vendor:9c5b94b1-35ad-49bb-b118-8e8fc24abf80']) expect(assertChainId(id)).toBe(id);
  });

  it.each([
    ['a prefix before the id', `x${ORG}`],
    ['a suffix after the id', `${ORG}/../../etc`],
    ['a suffix after platform', 'platform.jsonl'],
    ['another kind', 'user:1b4e28ba-2fa1-11d2-883f-0016d3cca427'],
    ['an upper-case UUID', ORG.toUpperCase()],
    ['a path', '../../etc/passwd'],
  ])('refuses %s', (_, id) => {
    expect(() => assertChainId(id)).toThrow(/^not an audit chain id: /);
  });

  it('quotes at most 80 characters of a refused id in its error', () => {
    const long = `org:${'a'.repeat(500)}`;
    let message = '';
    try {
      assertChainId(long);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(`not an audit chain id: ${JSON.stringify(long).slice(0, 80)}`);
    expect(message.length).toBeLessThan(110);
  });
});

describe('parseCheckpoint', () => {
  it('reads an entry with a numeric sequence and a time', () => {
    expect(parseCheckpoint(`{"chainId":"${ORG}","seq":3,"at":"2026-12-04T00:00:00.000Z","sig":"ab"}`)).toEqual({
      chainId: ORG,
      seq: 3,
      at: '2026-12-04T00:00:00.000Z',
      sig: 'ab',
    });
  });

  it.each([
    ['garbled JSON', '{"seq":'],
    ['null', 'null'],
    ['a number', '7'],
    ['a string', '"seq"'],
    ['an array', '[1,2]'],
    ['no sequence', '{"at":"2026-12-04T00:00:00.000Z"}'],
    ['a sequence as text', '{"seq":"3","at":"2026-12-04T00:00:00.000Z"}'],
    ['no time', '{"seq":3}'],
    ['a time as a number', '{"seq":3,"at":1764806400000}'],
  ])('has nothing for %s', (_, text) => {
    expect(parseCheckpoint(text)).toBeUndefined();
  });
});
