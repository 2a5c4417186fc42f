const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-](0\d|1[0-4]):[0-5]\d)?$/;

/** A real calendar date as YYYY-MM-DD, year 0001–9999 (xs:date has no year zero). */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) {
    return false;
  }
  // Indexed, not destructured from a mapped slice: a 100,000-row upload checks a date per row.
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** xs:gYearMonth without a timezone, e.g. a Medicare card expiry `2023-04`. */
export function isYearMonth(value: string): boolean {
  const match = YEAR_MONTH.exec(value);
  return !!match && Number(match[1]) >= 1 && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** UTC+14 (Line Islands): the first time zone to reach a calendar date, and so the last one to leave it. */
const EARLIEST_ZONE_OFFSET_MS = 14 * 60 * 60 * 1000;

/**
 * The latest calendar date anywhere on Earth at `now`, as YYYY-MM-DD: the bound for a date of birth "not in the
 * future". A date of birth is a local date in the place of birth, which need not be in Australia (CountryOfBirthCode),
 * so neither UTC (which would refuse someone born this morning in Sydney, up to 11 hours ahead of UTC) nor an
 * Australian zone (which would refuse a newborn in Auckland or Apia, up to 3 hours further ahead) is right for every
 * caller. UTC+14 never refuses a date that has begun somewhere, at the price of accepting, for at most a few hours, a
 * date that has not begun in Australia yet; the registry stays the judge of those.
 */
export function todayAnywhere(now: Date): string {
  const ms = now.getTime();
  // A bulk upload checks 100,000 dates of birth against one instant: the last answer is kept.
  if (ms !== lastToday.ms) lastToday = { ms, day: new Date(ms + EARLIEST_ZONE_OFFSET_MS).toISOString().slice(0, 10) };
  return lastToday.day;
}

let lastToday = { ms: Number.NaN, day: '' };

export function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value);
  return !!match && isCalendarDate(match[1]);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
