/** Hostile request material for the sweep: each entry is something a careless or malicious client does send. */

const json = (raw: string) => ({ contentType: 'application/json', raw });
const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

export const HOSTILE_BODIES: Record<string, { contentType: string; raw: string | Buffer }> = {
  invalidJson: json('{"a": 1,'),
  truncated: json('{"email":"x@example.test","password":"'),
  array: json('[]'),
  arrayOfObjects: json('[{"a":1},{"b":2}]'),
  string: json('"just a string"'),
  number: json('42'),
  null: json('null'),
  boolean: json('true'),
  empty: json(''),
  deepObject: json(nested(5000)),
  deepArray: json(deepArray(5000)),
  oneMegabyteString: json(JSON.stringify({ name: 'x'.repeat(1024 * 1024) })),
  justUnderLimit: json(JSON.stringify({ name: 'y'.repeat(1024 * 1024 - 20) })),
  unicodeAndNul: json(JSON.stringify({ name: 'nul\u0000 lone\ud800 bidi\u202e ☃ 𝔘', orgCode: '\u0000', email: 'a\u0000@b.c' })),
  hugeNumbers: json('{"limit":1e309,"recordId":123456789012345678901234567890,"noOfVerifications":-1e308}'),
  protoPollution: json('{"__proto__":{"admin":true,"polluted":1},"constructor":{"prototype":{"polluted":1}}}'),
  protoInNested: json('{"personalDetails":{"__proto__":{"x":1}},"verifications":[{"__proto__":null}]}'),
  longValues: json(JSON.stringify(Object.fromEntries(['name', 'orgCode', 'abn', 'email', 'usi', 'password', 'reason', 'cursor'].map((k) => [k, 'v'.repeat(500)])))),
  wrongTypes: json('{"name":{},"orgCode":[],"abn":12345678901,"scopes":"admin","password":null,"limit":"ten"}'),
  textPlain: { contentType: 'text/plain', raw: '{"name":"x"}' },
  xml: { contentType: 'application/xml', raw: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' },
  formEncoded: { contentType: 'application/x-www-form-urlencoded', raw: 'a=1&a=2&__proto__[x]=1&name[]=z' },
  multipartGarbage: { contentType: 'multipart/form-data; boundary=zzz', raw: '--zzz\r\nContent-Disposition: form-data; name="keystore"; filename="k.xml"\r\n\r\nabc' },
  multipartNoBoundary: { contentType: 'multipart/form-data', raw: 'nothing here' },
  unknownCharset: { contentType: 'application/json; charset=klingon', raw: '{"a":1}' },
  utf16: { contentType: 'application/json; charset=utf-16', raw: Buffer.from('{"a":1}', 'utf16le') },
  binary: { contentType: 'application/octet-stream', raw: Buffer.from([0, 255, 254, 0, 1, 2, 3]) },
  invalidUtf8: json(Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]) as unknown as string),
};

/** Already percent-encoded, as they would appear in the request line. */
export const HOSTILE_PARAMS: Record<string, string> = {
  dotDot: '..%2F..%2Fetc%2Fpasswd',
  dotDotRaw: '..',
  nul: 'a%00b',
  badPercent: '%E0%A4%A',
  long: 'x'.repeat(500),
  unicode: encodeURIComponent('ü☃𝔘\u202e'),
  sqlish: encodeURIComponent("' or 1=1 --"),
  protoKey: '__proto__',
  constructorKey: 'constructor',
  uuidUpper: 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  spaces: '%20%20',
};

export const HOSTILE_QUERIES: Record<string, string> = {
  repeated: 'limit=1&limit=2&cursor=a&cursor=b',
  hugeLimit: 'limit=1e309',
  negative: 'limit=-5',
  nonNumeric: 'limit=ten',
  nulCursor: 'cursor=%00%00',
  longCursor: `cursor=${'c'.repeat(500)}`,
  garbageCursor: `cursor=${encodeURIComponent('eyJfX3Byb3RvX18iOnsiYSI6MX19')}`,
  protoQuery: '__proto__[admin]=true&constructor[prototype][x]=1',
  nestedQuery: 'from[$gt]=1&to[]=2&organisation[a][b]=c',
  badDate: 'from=2020-13-45T99:99&to=yesterday',
  badPercent: 'limit=%E0%A4%A',
  unicode: `organisation=${encodeURIComponent('ü\u0000☃')}`,
};
