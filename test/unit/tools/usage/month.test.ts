import { UsageError } from '../../../../tools/lib/args';
import { isCurrentMonth, parseMonth } from '../../../../tools/usage/month';

const now = new Date(Date.UTC(2026, 11, 1, 9));

describe('--month', () => {
  test('accepts YYYY-MM of a month that has started', () => {
    expect(parseMonth('2026-11', now)).toEqual({ year: 2026, month: 11 });
    expect(parseMonth('2026-12', now)).toEqual({ year: 2026, month: 12 });
    expect(isCurrentMonth({ year: 2026, month: 12 }, now)).toBe(true);
    expect(isCurrentMonth({ year: 2026, month: 11 }, now)).toBe(false);
  });

  test.each([
    [undefined, '--month is required, e.g. --month 2026-11'],
    ['2026-1', '--month: expected YYYY-MM, e.g. 2026-11, got "2026-1"'],
    ['11/2026', '--month: expected YYYY-MM'],
    ['2026-13', '--month: month must be 01 to 12, got "2026-13"'],
    ['2026-00', '--month: month must be 01 to 12'],
    ['2019-05', '--month: the lake holds years 2024 to 2099, got "2019-05"'],
    ['2027-01', '--month: 2027-01 has not started yet (it is 2026-12 UTC)'],
  ])('%s is refused with a clear message', (text, message) => {
    expect(() => parseMonth(text, now)).toThrow(UsageError);
    expect(() => parseMonth(text, now)).toThrow(message);
  });
});
