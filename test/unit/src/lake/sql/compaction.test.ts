import { parseHour } from '../../../../../src/lake/hours';
import {
  assertRunId,
  compactHourStatement,
  conservationProblems,
  countHourStatement,
  type HourCounts,
  parseCounts,
  stagingPrefix,
} from '../../../../../src/lake/sql/compaction';
import { trinoErrors } from '../../../../helpers/sql';

const lake = { database: 'metering_dev', bucket: 'metering-dev-lake' };
const runId = '2026113005-8d3c1c4e-1111-4222-8333-944445555666';
const hour = parseHour('2026-11-30T05');

describe('compaction statements', () => {
  const insert = compactHourStatement(lake, hour, runId);
  const count = countHourStatement(lake, hour, runId);

  test.each([
    ['insert', insert],
    ['count', count],
    ['insert at a year rollover', compactHourStatement(lake, parseHour('2027-01-01T00'), runId)],
    ['count at a year rollover', countHourStatement(lake, parseHour('2027-01-01T00'), runId)],
  ])('%s parses under the Trino grammar', (_name, sql) => {
    expect(trinoErrors(sql)).toEqual([]);
  });

  test('the insert writes only the run staging partition, from raw H, deduplicated against compacted H-1', () => {
    expect(insert).toMatch(/^INSERT INTO "metering_dev"\."access_log_staging" \(requestId, .*, run_id\)/);
    expect(insert).toContain(`'${runId}' AS run_id`);
    expect(insert).toContain(
      'FROM "metering_dev"."access_log_raw"\n    WHERE (year = 2026 AND month = 11 AND day = 30 AND hour = 5)',
    );
    expect(insert).toContain(
      'FROM "metering_dev"."access_log" WHERE (year = 2026 AND month = 11 AND day = 30 AND hour = 4)',
    );
    expect(insert).toContain('ROW_NUMBER() OVER (PARTITION BY r.requestId ORDER BY r.requestTimeEpoch ASC NULLS LAST');
  });

  test('numbers are cast from text with "-" as NULL, never failing the statement', () => {
    expect(insert).toContain("TRY_CAST(NULLIF(requestTimeEpoch, '-') AS BIGINT) AS requestTimeEpoch");
    expect(insert).toContain("TRY_CAST(NULLIF(status, '-') AS INTEGER) AS status");
  });

  test('rows without a request id are kept, and the previous-hour filter cannot drop everything on a NULL', () => {
    expect(insert).toContain("NULLIF(NULLIF(TRIM(requestId), ''), '-') AS requestId");
    expect(insert).toContain('WHERE (d.rn = 1 OR d.requestId IS NULL) AND p.requestId IS NULL');
    expect(insert).not.toMatch(/NOT IN/);
  });

  test('dedup against the previous hour crosses day, month and year boundaries in UTC', () => {
    const cases: [string, string][] = [
      ['2026-12-01T00', '(year = 2026 AND month = 11 AND day = 30 AND hour = 23)'],
      ['2026-11-30T00', '(year = 2026 AND month = 11 AND day = 29 AND hour = 23)'],
      ['2027-01-01T00', '(year = 2026 AND month = 12 AND day = 31 AND hour = 23)'],
      ['2028-03-01T00', '(year = 2028 AND month = 2 AND day = 29 AND hour = 23)'],
    ];
    for (const [h, previous] of cases) {
      expect(compactHourStatement(lake, parseHour(h), runId)).toContain(
        `FROM "metering_dev"."access_log" WHERE ${previous} AND requestId IS NOT NULL`,
      );
    }
  });

  test('the count reads the staging partition of this run only (a static equality, as injected projection needs)', () => {
    expect(count).toContain(`WHERE run_id = '${runId}'`);
    expect(count).toContain('count(r.requestId) - count(DISTINCT r.requestId) AS duplicates_within');
  });

  test('names from config are validated before they reach SQL', () => {
    expect(() => compactHourStatement({ ...lake, database: 'x"; DROP TABLE y; --' }, hour, runId)).toThrow(
      /invalid database name/,
    );
    expect(() => compactHourStatement(lake, hour, "x' OR '1'='1")).toThrow(/invalid run id/);
    expect(() => assertRunId('short')).toThrow(/8-100/);
    expect(stagingPrefix(runId)).toBe(`compaction-staging/run_id=${runId}/`);
  });
});

describe('conservation check', () => {
  const balanced: HourCounts = {
    rows_in: 100,
    rows_without_request_id: 1,
    duplicates_within: 4,
    duplicates_previous_hour: 2,
    rows_written: 94,
    rows_written_without_request_id: 1,
    distinct_written: 93,
  };

  test('balanced counts pass', () => {
    expect(conservationProblems(balanced)).toEqual([]);
  });

  test('a row neither written nor dropped fails, naming every term', () => {
    expect(conservationProblems({ ...balanced, rows_written: 93, distinct_written: 92 })).toEqual([
      'rows in (100) != rows written (93) + duplicates dropped (6 = 4 within the hour + 2 already in the previous hour)',
    ]);
  });

  test('a duplicate request id among written rows fails', () => {
    expect(conservationProblems({ ...balanced, distinct_written: 92 })).toEqual([
      'rows written with a request id (93) != distinct request ids written (92)',
    ]);
  });

  test('parseCounts rejects a missing or non-numeric count', () => {
    const row = Object.fromEntries(Object.entries(balanced).map(([k, v]) => [k, String(v)]));
    expect(parseCounts(row)).toEqual(balanced);
    expect(() => parseCounts({ ...row, rows_in: null })).toThrow('rows_in = null');
    expect(() => parseCounts(undefined)).toThrow('no row');
  });
});
