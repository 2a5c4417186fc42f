import { todayAnywhere } from './calendar-date';

describe('todayAnywhere', () => {
  it('is the date in UTC+14, the first zone to reach a date', () => {
    expect(todayAnywhere(new Date('2026-12-03T09:59:59Z'))).toBe('2026-12-03');
    expect(todayAnywhere(new Date('2026-12-03T10:00:00Z'))).toBe('2026-12-04');
  });

  it('answers each instant for itself when calls alternate between instants (it keeps only the last answer)', () => {
    const early = new Date('2026-01-01T00:00:00Z');
    const late = new Date('2026-06-30T12:00:00Z');
    expect([early, late, early, early, late].map(todayAnywhere)).toEqual(['2026-01-01', '2026-07-01', '2026-01-01', '2026-01-01', '2026-07-01']);
  });
});
