import fc from 'fast-check';
import { type Hour, hourOf, hoursBetween } from '../../../../../src/lake/hours';
import { hourPredicate, hourRangePredicate, monthHours } from '../../../../../src/lake/sql/partitions';
import { trinoErrors } from '../../../../helpers/sql';

const h = (year: number, month: number, day: number, hour: number): Hour => ({ year, month, day, hour });

/** Evaluates a generated predicate for one partition, by turning it into JavaScript. */
function matches(predicate: string, p: Hour): boolean {
  const js = predicate
    .replace(/(\w+) BETWEEN (\d+) AND (\d+)/g, '($1 >= $2 && $1 <= $3)')
    .replace(/ AND /g, ' && ')
    .replace(/ OR /g, ' || ')
    .replace(/ = /g, ' === ');
  return new Function('year', 'month', 'day', 'hour', `return ${js};`)(p.year, p.month, p.day, p.hour) as boolean;
}

describe('hourRangePredicate', () => {
  test('a whole month collapses to year and month', () => {
    const { from, to } = monthHours(2026, 2);
    expect(hourRangePredicate(from, to)).toBe('(year = 2026 AND month = 2)');
  });

  test('a month plus one hour spans the year boundary', () => {
    expect(hourRangePredicate(h(2026, 12, 1, 0), h(2027, 1, 1, 0))).toBe(
      '((year = 2026 AND month = 12) OR (year = 2027 AND month = 1 AND day = 1 AND hour = 0))',
    );
  });

  test('one hour, with an alias', () => {
    expect(hourPredicate(h(2026, 11, 30, 5), 'r')).toBe(
      '(r.year = 2026 AND r.month = 11 AND r.day = 30 AND r.hour = 5)',
    );
  });

  test('parses as part of a WHERE clause', () => {
    const p = hourRangePredicate(h(2026, 11, 3, 5), h(2026, 12, 2, 7), 't');
    expect(trinoErrors(`SELECT 1 FROM x t WHERE ${p}`)).toEqual([]);
  });

  test('rejects an empty range', () => {
    expect(() => hourRangePredicate(h(2026, 11, 3, 5), h(2026, 11, 3, 4))).toThrow(/empty range/);
  });

  test('selects exactly the hours of the range', () => {
    const start = Date.UTC(2025, 0, 1);
    const hour = fc.integer({ min: 0, max: 24 * 800 }).map((n) => hourOf(new Date(start + n * 3_600_000)));
    fc.assert(
      fc.property(hour, fc.integer({ min: 0, max: 24 * 70 }), (from, length) => {
        const to = hourOf(new Date(Date.UTC(from.year, from.month - 1, from.day, from.hour) + length * 3_600_000));
        const predicate = hourRangePredicate(from, to);
        const inside = new Set(hoursBetween(from, to).map((x) => JSON.stringify(x)));
        // Every hour from a day before to a day after: in the range exactly when selected.
        const around = hoursBetween(
          hourOf(new Date(Date.UTC(from.year, from.month - 1, from.day, from.hour) - 86_400_000)),
          hourOf(new Date(Date.UTC(to.year, to.month - 1, to.day, to.hour) + 86_400_000)),
        );
        for (const p of around) expect(matches(predicate, p)).toBe(inside.has(JSON.stringify(p)));
      }),
      { numRuns: 60 },
    );
  });
});

describe('monthHours', () => {
  test('first and last hour, leap year included', () => {
    expect(monthHours(2028, 2)).toEqual({ from: h(2028, 2, 1, 0), to: h(2028, 2, 29, 23) });
    expect(monthHours(2026, 12)).toEqual({ from: h(2026, 12, 1, 0), to: h(2026, 12, 31, 23) });
  });
});
