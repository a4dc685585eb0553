import {
  dailyUsageByTenantSql,
  errorRateSql,
  hourlyUsageByTenantSql,
  monthlyUsageByTenantSql,
  namedUsageQueries,
  provisionalHoursSql,
  topEndpointsByTenantSql,
} from '../../../../../src/lake/sql/usage';
import { trinoErrors } from '../../../../helpers/sql';

const loc = { database: 'metering_dev', bucket: 'metering-dev-lake' };
const november = { year: 2026, month: 11 };
const range = { from: { year: 2026, month: 11, day: 3, hour: 5 }, to: { year: 2026, month: 11, day: 4, hour: 22 } };

const statements: [string, string][] = [
  ['monthly usage by tenant', monthlyUsageByTenantSql(loc, november)],
  ['provisional hours', provisionalHoursSql(loc, november)],
  ['hourly usage by tenant', hourlyUsageByTenantSql(loc, range)],
  ['daily usage by tenant', dailyUsageByTenantSql(loc, range)],
  ['top endpoints', topEndpointsByTenantSql(loc, range, 5)],
  ['error rate', errorRateSql(loc, range)],
  ...namedUsageQueries(loc).map((q): [string, string] => [`named query ${q.name}`, q.sql]),
];

describe('usage queries', () => {
  test.each(statements)('%s parses as Trino SQL', (_name, sql) => {
    expect(trinoErrors(sql)).toEqual([]);
  });

  test('the grammar check rejects a broken query', () => {
    const broken = monthlyUsageByTenantSql(loc, november).replace('GROUP BY tenant', 'GROUP tenant');
    expect(trinoErrors(broken).length).toBeGreaterThan(0);
  });

  test.each(statements)('%s constrains the partitions of both tables', (_name, sql) => {
    for (const table of ['"metering_dev"."access_log"', '"metering_dev"."access_log_raw"']) {
      // Every FROM/JOIN of a table is followed by a WHERE on its year column.
      const reads = sql.split(table).slice(1);
      expect(reads.length).toBeGreaterThan(0);
      for (const after of reads) expect(after).toMatch(/^ (\w+)\n(?:\s*JOIN [^\n]+\n)?\s*WHERE \(\(?\1\.year = /);
    }
  });

  test('a month scans its partitions plus the first hour of the next month (arrival lags event time)', () => {
    const sql = monthlyUsageByTenantSql(loc, { year: 2026, month: 12 });
    expect(sql).toContain(
      '((r.year = 2026 AND r.month = 12) OR (r.year = 2027 AND r.month = 1 AND r.day = 1 AND r.hour = 0))',
    );
    // ...but bills by event time: December only.
    expect(sql).toContain(`e.request_time >= ${Date.UTC(2026, 11, 1)}`);
    expect(sql).toContain(`e.request_time < ${Date.UTC(2027, 0, 1)}`);
  });

  test('counts each requestId once, preferring the compacted copy, and leaves out unauthenticated rows', () => {
    const sql = monthlyUsageByTenantSql(loc, november);
    expect(sql).toContain(
      'row_number() OVER (PARTITION BY e.request_id ORDER BY e.provisional, e.request_time) AS copy',
    );
    expect(sql).toContain('WHERE copy = 1');
    expect(sql).toContain('count(DISTINCT request_id) AS requests');
    expect(sql).toContain("NULLIF(r.sub, '-') AS tenant");
    expect(sql).toMatch(/WHERE tenant IS NOT NULL\s+GROUP BY tenant\s+ORDER BY requests DESC/);
  });

  test('reads raw numbers safely: "-" and garbage become NULL instead of failing the query', () => {
    const sql = monthlyUsageByTenantSql(loc, november);
    expect(sql).toContain("TRY_CAST(NULLIF(r.requestTimeEpoch, '-') AS BIGINT) AS request_time");
    expect(sql).toContain("TRY_CAST(NULLIF(r.status, '-') AS INTEGER) AS status");
    expect(sql).toContain("TRY_CAST(NULLIF(r.responseLength, '-') AS BIGINT) AS response_length");
    // The compacted table is typed: no casts there.
    expect(sql).toContain('c.requestTimeEpoch AS request_time');
  });

  test('reads raw rows only for hours the compacted table has nothing for', () => {
    const sql = monthlyUsageByTenantSql(loc, november);
    expect(sql).toMatch(
      /compacted_hours AS \(\s+SELECT DISTINCT c.year, c.month, c.day, c.hour\s+FROM "metering_dev"."access_log" c/,
    );
    expect(sql).toMatch(/LEFT JOIN compacted_hours c ON [^\n]+\n\s+WHERE c.year IS NULL/);
    expect(sql).toContain(
      'JOIN pending_hours ph ON r.year = ph.year AND r.month = ph.month AND r.day = ph.day AND r.hour = ph.hour',
    );
  });

  test('monthly usage returns the columns the usage report reads, in order', () => {
    const select = monthlyUsageByTenantSql(loc, november).split('\n)\nSELECT\n')[1];
    const columns = [...select.matchAll(/ AS (\w+)(?:,|\n)/g)].map((m) => m[1]);
    expect(['tenant', ...columns]).toEqual([
      'tenant',
      'username',
      'requests',
      'response_bytes',
      'error_requests',
      'error_share',
      'provisional_requests',
    ]);
  });

  test('provisional hours lists arrival hours as YYYY-MM-DDTHH', () => {
    const sql = provisionalHoursSql(loc, november);
    expect(sql).toContain("SELECT DISTINCT format('%04d-%02d-%02dT%02d', r.year, r.month, r.day, r.hour) AS hour");
    expect(sql).toContain(
      '(r.year = 2026 AND r.month = 11) OR (r.year = 2026 AND r.month = 12 AND r.day = 1 AND r.hour = 0)',
    );
  });

  test('rejects a malicious database name and invalid periods', () => {
    expect(() => monthlyUsageByTenantSql({ ...loc, database: 'x"; DROP TABLE y; --' }, november)).toThrow(
      /invalid database name/,
    );
    expect(() => monthlyUsageByTenantSql(loc, { year: 2026, month: 13 })).toThrow(/month 1-12/);
    expect(() => hourlyUsageByTenantSql(loc, { from: range.to, to: range.from })).toThrow(/ends before it starts/);
    expect(() =>
      hourlyUsageByTenantSql(loc, {
        from: { year: 2024, month: 1, day: 1, hour: 0 },
        to: { year: 2026, month: 1, day: 1, hour: 0 },
      }),
    ).toThrow(/too long/);
    expect(() => topEndpointsByTenantSql(loc, range, 0)).toThrow(/positive integer/);
  });

  test('named queries cover the month they run in, constrained by current_date', () => {
    const queries = namedUsageQueries(loc);
    expect(queries.map((q) => q.name)).toEqual([
      'usage-by-tenant-this-month',
      'usage-by-tenant-per-day-this-month',
      'usage-by-tenant-per-hour-this-month',
      'top-endpoints-by-tenant-this-month',
      'error-rate-per-hour-this-month',
      'provisional-hours-this-month',
    ]);
    for (const q of queries) {
      expect(q.sql).toContain(
        "r.year = year(date_trunc('month', current_date)) AND r.month = month(date_trunc('month', current_date))",
      );
      expect(q.sql).not.toMatch(/\b20\d\d\b/);
    }
  });
});
