import { isValidUsi } from '../checks/usi-check';
import { EARLIEST_DATE_OF_BIRTH, type ScalarSpec } from '../schema/field-spec';
import { XML_ILLEGAL_CHAR } from '../xml/xml-escape';
import { isCalendarDate, isDateTime, isYearMonth } from './calendar-date';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const USI_LENGTH = 10;
const USI_PATTERN = /^[A-HJ-NP-Z2-9]*$/;

type Issue = { code: string; message: string };

/** What a check may need beyond the value itself. */
export interface ScalarContext {
  /** Today's date as YYYY-MM-DD (see `todayAnywhere`), the latest acceptable date of birth. */
  today: string;
}

/** Problems with one simple value, as `{code, message}` pairs; values are never echoed (they may be personal data). */
export function checkScalar(spec: ScalarSpec, value: unknown, context: ScalarContext): Issue[] {
  switch (spec.kind) {
    case 'int':
      return checkInt(value, spec.maxInclusive);
    case 'boolean':
      return typeof value === 'boolean' ? [] : [{ code: 'type', message: 'must be a boolean' }];
    case 'enum':
      if (typeof value !== 'string') return [{ code: 'type', message: 'must be a string' }];
      return spec.values.includes(value) ? [] : [{ code: 'enum', message: `must be one of ${spec.values.join(', ')}` }];
    case 'date': {
      const issues = checkDate(value, spec.allowYearMonth ?? false);
      return issues.length === 0 && spec.birth ? checkBirthDate(value as string, context.today) : issues;
    }
    case 'dateTime':
      if (typeof value !== 'string') return [{ code: 'type', message: 'must be a string' }];
      return isDateTime(value) ? [] : [{ code: 'invalid_date', message: 'must be an ISO 8601 date-time' }];
    case 'usi':
      return checkUsi(value);
    case 'string':
      return checkString(value, spec.minLength, spec.maxLength, spec.pattern);
  }
}

function checkInt(value: unknown, maxInclusive: number | undefined): Issue[] {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return [{ code: 'type', message: 'must be an integer' }];
  }
  const max = Math.min(INT_MAX, maxInclusive ?? INT_MAX);
  return value < INT_MIN || value > max ? [{ code: 'out_of_range', message: `must be between ${INT_MIN} and ${max}` }] : [];
}

function checkDate(value: unknown, allowYearMonth: boolean): Issue[] {
  if (typeof value !== 'string') {
    return [{ code: 'type', message: 'must be a string' }];
  }
  if (isCalendarDate(value) || (allowYearMonth && isYearMonth(value))) {
    return [];
  }
  return [{ code: 'invalid_date', message: allowYearMonth ? 'must be a date YYYY-MM-DD or YYYY-MM' : 'must be a date YYYY-MM-DD' }];
}

/** Only for a valid YYYY-MM-DD, which compares correctly as a string. */
function checkBirthDate(value: string, today: string): Issue[] {
  if (value < EARLIEST_DATE_OF_BIRTH) {
    return [{ code: 'out_of_range', message: `must be ${EARLIEST_DATE_OF_BIRTH} or later` }];
  }
  if (value > today) {
    return [{ code: 'out_of_range', message: 'must not be in the future' }];
  }
  return [];
}

function checkUsi(value: unknown): Issue[] {
  const issues = checkString(value, USI_LENGTH, USI_LENGTH, USI_PATTERN);
  if (issues.length > 0) {
    return issues;
  }
  return isValidUsi(value) ? [] : [{ code: 'usi_check_character', message: 'check character does not match (not a valid USI)' }];
}

function checkString(value: unknown, minLength?: number, maxLength?: number, pattern?: RegExp): Issue[] {
  if (typeof value !== 'string') {
    return [{ code: 'type', message: 'must be a string' }];
  }
  const issues: Issue[] = [];
  // XSD lengths count characters (code points), not UTF-16 units.
  const length = [...value].length;
  if (XML_ILLEGAL_CHAR.test(value)) {
    issues.push({ code: 'invalid_character', message: 'contains a control character XML cannot carry' });
  }
  if (minLength !== undefined && length < minLength) {
    issues.push({ code: 'too_short', message: `must be at least ${minLength} characters` });
  }
  if (maxLength !== undefined && length > maxLength) {
    issues.push({ code: 'too_long', message: `must be at most ${maxLength} characters` });
  }
  if (pattern && !pattern.test(value)) {
    issues.push({ code: 'pattern', message: `must match ${pattern.source}` });
  }
  return issues;
}
