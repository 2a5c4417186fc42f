import { loggableUrl } from './loggable-url';

describe('loggableUrl', () => {
  it('keeps a URL without a query string as it is', () => {
    expect(loggableUrl('/v1/organisations/VA1802/usis')).toBe('/v1/organisations/VA1802/usis');
  });

  it('withholds the value of secret and personal parameters, keeping their names and every other parameter', () => {
    expect(loggableUrl('/password/reset?token=abc.def&x=1')).toBe('/password/reset?token=[withheld]&x=1');
    expect(loggableUrl('/v1/audit/events?organisation=VA1802&usi=BNGH7C75FN&limit=5')).toBe(
      '/v1/audit/events?organisation=VA1802&usi=[withheld]&limit=5',
    );
    expect(loggableUrl('/signup/verify?Token=s3cret')).toBe('/signup/verify?Token=[withheld]');
    expect(loggableUrl('/x?%75si=BNGH7C75FN')).toBe('/x?%75si=[withheld]');
    expect(loggableUrl('/invite?email=a%40b.example&code=123456')).toBe('/invite?email=[withheld]&code=[withheld]');
  });

  it('logs a malformed or valueless parameter as sent', () => {
    expect(loggableUrl('/x?%E0%A4%A=1&usi')).toBe('/x?%E0%A4%A=1&usi');
  });
});
