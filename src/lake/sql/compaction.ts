import { MISSING } from '../access-log-format';
import { addHours, type Hour } from '../hours';
import {
  COMPACTED_TABLE,
  type Column,
  LAKE_PREFIXES,
  type LakeLocation,
  qualifiedName,
  RAW_TABLE,
  STAGING_TABLE,
} from '../tables';
import { hourPredicate } from './partitions';

/**
 * Every statement of the hourly compaction, generated from `tables.ts`.
 *
 * Closing hour H takes two statements:
 * 1. `compactHourStatement`: raw H, typed, deduplicated by requestId (earliest
 *    requestTimeEpoch wins) and without the requestIds already in compacted H-1,
 *    INSERTed into the run's own staging partition (`run_id = <runId>`), which is
 *    always empty before the run because the run id is new. Staging is
 *    Parquet/ZSTD by its table properties, so the staged files are the final files.
 * 2. `countHourStatement`: one row of counts that must balance
 *    (rows_in = rows_written + duplicates_within + duplicates_previous_hour)
 *    before the staged files replace the hour's objects.
 */

/** Key of the deduplication: API Gateway's request id. */
export const DEDUP_KEY = 'requestId';
/** Which of the duplicates survives: the earliest request time, then the smallest extended id, for a stable choice. */
export const DEDUP_ORDER = ['requestTimeEpoch', 'extendedRequestId'] as const;

/** Run ids are spliced into SQL literals and S3 keys, so they are held to this shape. */
const RUN_ID = /^[0-9A-Za-z][0-9A-Za-z-]{7,99}$/;

/** Throws unless `runId` is a safe run id (letters, digits and '-', 8-100 characters). */
export function assertRunId(runId: string): string {
  if (!RUN_ID.test(runId)) {
    throw new Error(`invalid run id ${JSON.stringify(runId)}: expected 8-100 letters, digits and '-'`);
  }
  return runId;
}

/** Key prefix of one run's staged objects, matching the staging table's `run_id=` location template. */
export function stagingPrefix(runId: string): string {
  return `${LAKE_PREFIXES.staging}run_id=${assertRunId(runId)}/`;
}

/** The raw column `c` as its compacted type: '-' (missing) and unparsable numbers become NULL. */
function typed(c: Column, raw: Column | undefined): string {
  if (!raw) throw new Error(`compacted column ${c.name} has no raw column of the same name`);
  if (c.name === DEDUP_KEY) return `${normalisedKey(c.name)} AS ${c.name}`;
  switch (c.type) {
    case 'string':
      return c.name;
    case 'bigint':
      return `TRY_CAST(NULLIF(${c.name}, '${MISSING}') AS BIGINT) AS ${c.name}`;
    case 'int':
      return `TRY_CAST(NULLIF(${c.name}, '${MISSING}') AS INTEGER) AS ${c.name}`;
  }
}

/** A blank or missing request id is NULL, so it can never match (and be dropped as a duplicate of) another row. */
function normalisedKey(col: string): string {
  return `NULLIF(NULLIF(TRIM(${col}), ''), '${MISSING}')`;
}

function rawHour(loc: LakeLocation, hour: Hour): string {
  const rawColumns = new Map(RAW_TABLE.columns.map((c) => [c.name, c]));
  const select = COMPACTED_TABLE.columns.map((c) => typed(c, rawColumns.get(c.name))).join(',\n      ');
  return `SELECT\n      ${select}\n    FROM ${qualifiedName(loc, RAW_TABLE)}\n    WHERE ${hourPredicate(hour)}`;
}

function previousHourKeys(loc: LakeLocation, hour: Hour): string {
  return `SELECT DISTINCT ${DEDUP_KEY} FROM ${qualifiedName(loc, COMPACTED_TABLE)} WHERE ${hourPredicate(addHours(hour, -1))} AND ${DEDUP_KEY} IS NOT NULL`;
}

/**
 * Statement 1: INSERT the deduplicated rows of raw `hour` into staging partition `runId`.
 * Rows without a request id cannot be deduplicated; they are kept (one row each) and
 * counted, never dropped. The anti-join is a LEFT JOIN rather than NOT IN, because
 * NOT IN against a set holding a NULL drops every row.
 */
export function compactHourStatement(loc: LakeLocation, hour: Hour, runId: string): string {
  const columns = STAGING_TABLE.columns.map((c) => c.name);
  const partition = STAGING_TABLE.partitionKeys[0].name;
  const order = DEDUP_ORDER.map((c) => `r.${c} ASC NULLS LAST`).join(', ');
  return `INSERT INTO ${qualifiedName(loc, STAGING_TABLE)} (${[...columns, partition].join(', ')})
SELECT
  ${columns.map((c) => `d.${c}`).join(', ')},
  '${assertRunId(runId)}' AS ${partition}
FROM (
  SELECT r.*, ROW_NUMBER() OVER (PARTITION BY r.${DEDUP_KEY} ORDER BY ${order}) AS rn
  FROM (
    ${rawHour(loc, hour)}
  ) r
) d
LEFT JOIN (
  ${previousHourKeys(loc, hour)}
) p ON d.${DEDUP_KEY} = p.${DEDUP_KEY}
WHERE (d.rn = 1 OR d.${DEDUP_KEY} IS NULL) AND p.${DEDUP_KEY} IS NULL`;
}

/** Column names of the count statement's single result row. */
export const COUNT_COLUMNS = [
  'rows_in',
  'rows_without_request_id',
  'duplicates_within',
  'duplicates_previous_hour',
  'rows_written',
  'rows_written_without_request_id',
  'distinct_written',
] as const;
export type HourCounts = Record<(typeof COUNT_COLUMNS)[number], number>;

/**
 * Statement 2: one row of counts for the conservation check. Raw H is read once
 * (only the key column), compacted H-1 and the run's staging partition once each.
 */
export function countHourStatement(loc: LakeLocation, hour: Hour, runId: string): string {
  const k = DEDUP_KEY;
  const partition = STAGING_TABLE.partitionKeys[0].name;
  return `SELECT i.rows_in, i.rows_without_request_id, i.duplicates_within, i.duplicates_previous_hour,
  w.rows_written, w.rows_written_without_request_id, w.distinct_written
FROM (
  SELECT
    count(*) AS rows_in,
    count_if(r.${k} IS NULL) AS rows_without_request_id,
    count(r.${k}) - count(DISTINCT r.${k}) AS duplicates_within,
    count(DISTINCT p.${k}) AS duplicates_previous_hour
  FROM (
    SELECT ${normalisedKey(k)} AS ${k} FROM ${qualifiedName(loc, RAW_TABLE)} WHERE ${hourPredicate(hour)}
  ) r
  LEFT JOIN (
    ${previousHourKeys(loc, hour)}
  ) p ON r.${k} = p.${k}
) i
CROSS JOIN (
  SELECT
    count(*) AS rows_written,
    count_if(${k} IS NULL) AS rows_written_without_request_id,
    count(DISTINCT ${k}) AS distinct_written
  FROM ${qualifiedName(loc, STAGING_TABLE)}
  WHERE ${partition} = '${assertRunId(runId)}'
) w`;
}

/** Parses the count statement's result row; throws if a column is missing or not a count. */
export function parseCounts(row: Record<string, string | null> | undefined): HourCounts {
  if (!row) throw new Error('count statement returned no row');
  const out = {} as HourCounts;
  for (const c of COUNT_COLUMNS) {
    const v = row[c];
    if (v === null || v === undefined || !/^\d+$/.test(v)) {
      throw new Error(`count statement returned ${c} = ${JSON.stringify(v)}; expected a non-negative integer`);
    }
    out[c] = Number(v);
  }
  return out;
}

/**
 * The conservation check: every raw row is either written or dropped as a
 * duplicate, written ids are unique, and rows without an id are all kept.
 * Returns the problems found ([] when the counts balance).
 */
export function conservationProblems(c: HourCounts): string[] {
  const problems: string[] = [];
  const dropped = c.duplicates_within + c.duplicates_previous_hour;
  if (c.rows_in !== c.rows_written + dropped) {
    problems.push(
      `rows in (${c.rows_in}) != rows written (${c.rows_written}) + duplicates dropped (${dropped} = ${c.duplicates_within} within the hour + ${c.duplicates_previous_hour} already in the previous hour)`,
    );
  }
  const keyed = c.rows_written - c.rows_written_without_request_id;
  if (keyed !== c.distinct_written) {
    problems.push(`rows written with a request id (${keyed}) != distinct request ids written (${c.distinct_written})`);
  }
  if (c.rows_written_without_request_id !== c.rows_without_request_id) {
    problems.push(
      `rows without a request id: ${c.rows_without_request_id} in, ${c.rows_written_without_request_id} written`,
    );
  }
  return problems;
}
