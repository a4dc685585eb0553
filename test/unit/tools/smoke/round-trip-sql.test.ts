import { roundTripSql } from '../../../../tools/smoke/round-trip-sql';
import { trinoErrors } from '../../../helpers/sql';

const user = { email: 'metering-smoke-0123456789abcdef@example.com', sub: '0f8fad5b-d9cb-469f-a165-70867728950e' };
const from = { year: 2026, month: 11, day: 30, hour: 23 };
const to = { year: 2026, month: 12, day: 1, hour: 0 };

describe('roundTripSql', () => {
  const sql = roundTripSql({ database: 'metering_dev' }, user, from, to);

  test('is valid Trino SQL', () => {
    expect(trinoErrors(sql)).toEqual([]);
  });

  test("reads only the raw table's partitions of the arrival hours, across a month boundary", () => {
    expect(sql).toContain('FROM "metering_dev"."access_log_raw"');
    expect(sql).toContain('(year = 2026 AND month = 11 AND day = 30 AND hour = 23)');
    expect(sql).toContain('(year = 2026 AND month = 12 AND day = 1 AND hour = 0)');
  });

  test("selects the temp user's requests by sub and username, one row per requestId with its copies", () => {
    expect(sql).toContain(`sub = '${user.sub}'`);
    expect(sql).toContain(`username = '${user.email}'`);
    expect(sql).toMatch(/SELECT requestId AS request_id, count\(\*\) AS copies[\s\S]*GROUP BY requestId/);
  });

  test.each([
    [{ ...user, sub: "x' OR '1'='1" }, /invalid sub/],
    [{ ...user, email: "a'--@example.com" }, /invalid email/],
  ])('refuses values that are not what a temp user has: %j', (bad, message) => {
    expect(() => roundTripSql({ database: 'metering_dev' }, bad, from, to)).toThrow(message);
  });

  test('refuses a database name that is not an identifier', () => {
    expect(() => roundTripSql({ database: 'x"; DROP' }, user, from, to)).toThrow(/invalid database name/);
  });
});
