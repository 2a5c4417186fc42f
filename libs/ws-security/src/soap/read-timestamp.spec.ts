import { codeOf } from '../testing/expect-code';
import { parseXml } from '../xml/parse-xml';
import { readTimestamp } from './read-timestamp';
import { timestampXml } from './security-header.builder';
import { soapEnvelope } from './soap-envelope.builder';

const envelope = (securityXml: string) =>
  parseXml(soapEnvelope({ action: 'urn:a', to: 'https://x.example/', securityXml, bodyXml: '' }));

describe('readTimestamp', () => {
  it('reads Created and Expires', () => {
    const ts = readTimestamp(envelope(timestampXml(new Date('2025-06-01T10:00:00Z'), 120)));
    expect(ts.created.toISOString()).toBe('2025-06-01T10:00:00.000Z');
    expect(ts.expires.toISOString()).toBe('2025-06-01T10:02:00.000Z');
    expect(ts.element.localName).toBe('Timestamp');
  });

  it('accepts fractional seconds as other stacks send them', () => {
    const xml = '<u:Timestamp u:Id="_0"><u:Created>2025-06-01T10:00:00.1234567Z</u:Created><u:Expires>2025-06-01T10:05:00Z</u:Expires></u:Timestamp>';
    expect(readTimestamp(envelope(xml)).created.getUTCMilliseconds()).toBe(123);
  });

  it.each([
    ['no Timestamp', ''],
    ['two Timestamps', timestampXml(new Date()) + timestampXml(new Date(), 300, '_9')],
    ['a missing Expires', '<u:Timestamp><u:Created>2025-06-01T10:00:00Z</u:Created></u:Timestamp>'],
    ['a local time', '<u:Timestamp><u:Created>2025-06-01T10:00:00</u:Created><u:Expires>2025-06-01T10:05:00Z</u:Expires></u:Timestamp>'],
    ['an offset', '<u:Timestamp><u:Created>2025-06-01T10:00:00+10:00</u:Created><u:Expires>2025-06-01T10:05:00Z</u:Expires></u:Timestamp>'],
    ['an impossible date', '<u:Timestamp><u:Created>2025-13-45T10:00:00Z</u:Created><u:Expires>2025-06-01T10:05:00Z</u:Expires></u:Timestamp>'],
    ['Expires before Created', timestampXml(new Date(), -1)],
  ])('rejects %s', (_what, securityXml) => {
    expect(codeOf(() => readTimestamp(envelope(securityXml)))).toBe('wsse.bad_timestamp');
  });
});
