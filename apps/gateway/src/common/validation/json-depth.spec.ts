import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth';

const nested = (depth: number) => Buffer.from('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

describe('jsonDepthExceeds', () => {
  it('accepts JSON up to the limit and refuses one level more', () => {
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonDepthExceeds(Buffer.from('['.repeat(MAX_JSON_DEPTH + 1)))).toBe(true);
  });

  it('counts siblings at the same depth once', () => {
    expect(jsonDepthExceeds(Buffer.from(JSON.stringify(Array.from({ length: 1000 }, () => ({ a: [1] })))), 3)).toBe(false);
  });

  it('ignores brackets inside strings, including after escaped quotes', () => {
    expect(jsonDepthExceeds(Buffer.from(JSON.stringify({ s: '[[[[{{{{', t: 'x\\"[[[[' })), 2)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from(JSON.stringify({ s: '"', a: [[[1]]] })), 3)).toBe(true);
  });
});
