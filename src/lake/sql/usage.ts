import { addHours, type Hour, hourStart, hoursBetween } from '../hours';
import {
  COMPACTED_TABLE,
  type Column,
  column,
  type LakeLocation,
  PARTITION_KEYS,
  qualifiedName,
  RAW_TABLE,
} from '../tables';
import { hourRangePredicate, monthHours } from './partitions';

/**
 * Usage queries over the metering tables.
 *
 * How every query counts:
 * - Compacted hours come from the compacted table. An arrival hour counts as
 *   compacted when the compacted table has any row in it; every other hour of
 *   the scanned range is read from the raw table and its rows are flagged
 *   provisional.
 * - Requests are deduplicated by `requestId` (one row per id, compacted copy
 *   preferred), so Firehose's at-least-once duplicates, a duplicate that landed
 *   in two arrival hours, and an hour that is briefly visible twice while a
 *   compaction re-run replaces its objects are all counted once.
 * - Requests are billed by event time (`requestTimeEpoch`), but Firehose
 *   partitions by arrival time, so the partitions scanned run one hour past the
 *   period's end. A request that arrives more than an hour after it was served
 *   is outside the late-data cutoff and is not counted.
 * - Per-tenant figures leave out unauthenticated requests (`sub` missing or '-').
 * - Every statement constrains the partition columns with literals (or, for the
 *   saved named queries, with date functions of `current_date`), so partition
 *   projection prunes and nothing is a full scan.
 */

/** A billing or reporting period: event-time hours, both included (UTC). */
export interface HourRange {
  readonly from: Hour;
  readonly to: Hour;
}

/** A calendar month (UTC). */
export interface Month {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
}

/** How far past a period's end a request may arrive and still be counted in it. */
export const LATE_ARRIVAL_HOURS = 1;

/** Trino's `sequence` produces at most 10,000 values; the hour list of a period must fit. */
const MAX_SCANNED_HOURS = 10_000;

/** Default number of endpoints per tenant in the top-endpoints query. */
export const DEFAULT_TOP_ENDPOINTS = 10;

/** A period rendered as SQL: either literals (a concrete period) or date functions (the month of the query). */
interface PeriodSql {
  /** Predicate over the partition columns of the scanned arrival hours. */
  readonly partitions: (alias?: string) => string;
  /** First and last scanned arrival hour, as TIMESTAMP expressions. */
  readonly firstHour: string;
  readonly lastHour: string;
  /** Event-time bounds in epoch milliseconds: `from <= t < until`. */
  readonly fromMs: string;
  readonly untilMs: string;
}

function fixedPeriod(range: HourRange): PeriodSql {
  const lastScanned = addHours(range.to, LATE_ARRIVAL_HOURS);
  const scanned = hoursBetween(range.from, lastScanned).length;
  if (hourStart(range.to) < hourStart(range.from)) {
    throw new Error(`usage period ends before it starts: ${JSON.stringify(range)}`);
  }
  if (scanned > MAX_SCANNED_HOURS) {
    throw new Error(`usage period too long: ${scanned} hours scanned, at most ${MAX_SCANNED_HOURS}`);
  }
  return {
    partitions: (alias) => hourRangePredicate(range.from, lastScanned, alias),
    firstHour: timestampLiteral(range.from),
    lastHour: timestampLiteral(lastScanned),
    fromMs: String(hourStart(range.from).getTime()),
    untilMs: String(hourStart(addHours(range.to, 1)).getTime()),
  };
}

/**
 * The calendar month in which the query runs (Athena's session time zone is UTC),
 * plus the late-arrival hour. The partition predicate is equality on `year` and
 * `month` with expressions of `current_date`, which the planner folds to
 * constants before partition projection prunes.
 */
function currentMonthPeriod(): PeriodSql {
  const start = "date_trunc('month', current_date)";
  const next = `date_add('month', 1, ${start})`;
  const c = (alias: string | undefined, name: string) => (alias ? `${alias}.${name}` : name);
  return {
    partitions: (alias) =>
      `((${c(alias, 'year')} = year(${start}) AND ${c(alias, 'month')} = month(${start}))` +
      ` OR (${c(alias, 'year')} = year(${next}) AND ${c(alias, 'month')} = month(${next})` +
      ` AND ${c(alias, 'day')} = 1 AND ${c(alias, 'hour')} < ${LATE_ARRIVAL_HOURS}))`,
    firstHour: `CAST(${start} AS TIMESTAMP)`,
    lastHour: `CAST(${next} AS TIMESTAMP) + INTERVAL '${LATE_ARRIVAL_HOURS - 1}' HOUR`,
    fromMs: `to_unixtime(CAST(${start} AS TIMESTAMP)) * 1000`,
    untilMs: `to_unixtime(CAST(${next} AS TIMESTAMP)) * 1000`,
  };
}

function monthRange(m: Month): HourRange {
  if (!Number.isInteger(m.year) || !Number.isInteger(m.month) || m.month < 1 || m.month > 12) {
    throw new Error(`invalid month ${JSON.stringify(m)}: expected an integer year and a month 1-12`);
  }
  return monthHours(m.year, m.month);
}

function timestampLiteral(h: Hour): string {
  return `TIMESTAMP '${hourStart(h).toISOString().slice(0, 19).replace('T', ' ')}'`;
}

const SQL_TYPE: Record<Column['type'], string> = { string: 'VARCHAR', bigint: 'BIGINT', int: 'INTEGER' };

/**
 * The expression that reads `name` with the compacted table's type. Raw values
 * are strings with '-' for missing, so numbers go through TRY_CAST after
 * NULLIF: a missing or garbled value becomes NULL instead of failing the query.
 * The compacted table is typed already; '-' in its strings is mapped to NULL too
 * so both sources agree whatever the compaction job stores for "missing".
 */
function read(source: 'raw' | 'compacted', alias: string, name: string): string {
  const typed = column(COMPACTED_TABLE, name);
  const ref = `${alias}.${column(source === 'raw' ? RAW_TABLE : COMPACTED_TABLE, name).name}`;
  if (typed.type === 'string') return `NULLIF(${ref}, '-')`;
  if (source === 'compacted') return ref;
  return `TRY_CAST(NULLIF(${ref}, '-') AS ${SQL_TYPE[typed.type]})`;
}

/** The normalised request row every usage query works on: output name → access-log field. */
const REQUEST_FIELDS: readonly (readonly [string, string])[] = [
  ['request_id', 'requestId'],
  ['request_time', 'requestTimeEpoch'],
  ['tenant', 'sub'],
  ['username', 'username'],
  ['http_method', 'httpMethod'],
  ['resource_path', 'resourcePath'],
  ['status', 'status'],
  ['response_length', 'responseLength'],
];

const partitionJoin = (a: string, b: string) =>
  PARTITION_KEYS.map((k) => `${a}.${column(RAW_TABLE, k.name).name} = ${b}.${k.name}`).join(' AND ');

/**
 * CTEs shared by every usage query:
 * - `scanned_hours`: every arrival hour of the period (no table read);
 * - `compacted_hours`: arrival hours the compacted table has rows for
 *   (partition columns only: Parquet footers, next to nothing scanned);
 * - `pending_hours`: scanned hours not compacted yet;
 * - `requests`: one row per requestId with event time in the period, with
 *   `provisional` = 1 when it was read from the raw table.
 *
 * The raw table is joined to `pending_hours` with an inner join, so besides
 * the static partition predicate Athena's dynamic partition pruning skips the
 * raw partitions of compacted hours.
 */
function requestCtes(loc: LakeLocation, p: PeriodSql): string {
  const raw = qualifiedName(loc, RAW_TABLE);
  const compacted = qualifiedName(loc, COMPACTED_TABLE);
  const select = (source: 'raw' | 'compacted', alias: string) =>
    REQUEST_FIELDS.map(([out, field]) => `${read(source, alias, field)} AS ${out}`).join(',\n    ');
  return `${hourCtes(loc, p)},
events AS (
  SELECT
    ${select('compacted', 'c')},
    0 AS provisional
  FROM ${compacted} c
  WHERE ${p.partitions('c')}
  UNION ALL
  SELECT
    ${select('raw', 'r')},
    1 AS provisional
  FROM ${raw} r
  JOIN pending_hours ph ON ${partitionJoin('r', 'ph')}
  WHERE ${p.partitions('r')}
),
ranked AS (
  SELECT e.*, row_number() OVER (PARTITION BY e.request_id ORDER BY e.provisional, e.request_time) AS copy
  FROM events e
  WHERE e.request_id IS NOT NULL
    AND e.request_time >= ${p.fromMs}
    AND e.request_time < ${p.untilMs}
),
requests AS (
  SELECT ${REQUEST_FIELDS.map(([out]) => out).join(', ')}, provisional
  FROM ranked
  WHERE copy = 1
)`;
}

/** The hour-level CTEs: `scanned_hours`, `compacted_hours`, `pending_hours` (see `requestCtes`). */
function hourCtes(loc: LakeLocation, p: PeriodSql): string {
  const compacted = qualifiedName(loc, COMPACTED_TABLE);
  const keys = PARTITION_KEYS.map((k) => k.name);
  return `WITH scanned_hours AS (
  SELECT ${['year', 'month', 'day', 'hour'].map((f, i) => `${f}(t.h) AS ${keys[i]}`).join(', ')}
  FROM UNNEST(sequence(${p.firstHour}, ${p.lastHour}, INTERVAL '1' HOUR)) AS t (h)
),
compacted_hours AS (
  SELECT DISTINCT ${keys.map((k) => `c.${k}`).join(', ')}
  FROM ${compacted} c
  WHERE ${p.partitions('c')}
),
pending_hours AS (
  SELECT ${keys.map((k) => `s.${k}`).join(', ')}
  FROM scanned_hours s
  LEFT JOIN compacted_hours c ON ${partitionJoin('s', 'c')}
  WHERE c.${keys[0]} IS NULL
)`;
}

const EVENT_HOUR = "date_format(from_unixtime(request_time / 1000), '%Y-%m-%dT%H')";
const EVENT_DAY = "date_format(from_unixtime(request_time / 1000), '%Y-%m-%d')";

function perTenantPerBucket(loc: LakeLocation, p: PeriodSql, bucket: 'hour' | 'day'): string {
  const expr = bucket === 'hour' ? EVENT_HOUR : EVENT_DAY;
  return `${requestCtes(loc, p)}
SELECT
  tenant,
  ${expr} AS ${bucket},
  max_by(username, request_time) AS username,
  count(DISTINCT request_id) AS requests,
  count_if(provisional = 1) AS provisional_requests
FROM requests
WHERE tenant IS NOT NULL
GROUP BY tenant, ${expr}
ORDER BY ${bucket}, requests DESC, tenant`;
}

function monthlyByTenant(loc: LakeLocation, p: PeriodSql): string {
  return `${requestCtes(loc, p)}
SELECT
  tenant,
  max_by(username, request_time) AS username,
  count(DISTINCT request_id) AS requests,
  coalesce(sum(response_length), 0) AS response_bytes,
  count_if(status >= 400) AS error_requests,
  CAST(count_if(status >= 400) AS DOUBLE) / count(DISTINCT request_id) AS error_share,
  count_if(provisional = 1) AS provisional_requests
FROM requests
WHERE tenant IS NOT NULL
GROUP BY tenant
ORDER BY requests DESC, tenant`;
}

function topEndpoints(loc: LakeLocation, p: PeriodSql, limit: number): string {
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`top endpoints: limit must be a positive integer, got ${limit}`);
  return `${requestCtes(loc, p)},
endpoints AS (
  SELECT
    tenant,
    http_method,
    resource_path,
    count(DISTINCT request_id) AS requests,
    count_if(status >= 400) AS error_requests
  FROM requests
  WHERE tenant IS NOT NULL
  GROUP BY tenant, http_method, resource_path
),
ranked_endpoints AS (
  SELECT endpoints.*, row_number() OVER (PARTITION BY tenant ORDER BY requests DESC, http_method, resource_path) AS rank
  FROM endpoints
)
SELECT tenant, rank, http_method, resource_path, requests, error_requests
FROM ranked_endpoints
WHERE rank <= ${limit}
ORDER BY tenant, rank`;
}

function errorRate(loc: LakeLocation, p: PeriodSql): string {
  return `${requestCtes(loc, p)}
SELECT
  ${EVENT_HOUR} AS hour,
  count(DISTINCT request_id) AS requests,
  count_if(status BETWEEN 400 AND 499) AS client_errors,
  count_if(status >= 500) AS server_errors,
  count_if(tenant IS NULL) AS unauthenticated_requests,
  CAST(count_if(status >= 400) AS DOUBLE) / count(DISTINCT request_id) AS error_rate,
  count_if(provisional = 1) AS provisional_requests
FROM requests
GROUP BY ${EVENT_HOUR}
ORDER BY hour`;
}

function provisionalHours(loc: LakeLocation, p: PeriodSql): string {
  const raw = qualifiedName(loc, RAW_TABLE);
  const cols = PARTITION_KEYS.map((k) => `r.${column(RAW_TABLE, k.name).name}`);
  // No event-time filter: an hour is provisional if it holds any raw row.
  return `${hourCtes(loc, p)}
SELECT DISTINCT format('%04d-%02d-%02dT%02d', ${cols.join(', ')}) AS hour
FROM ${raw} r
JOIN pending_hours ph ON ${partitionJoin('r', 'ph')}
WHERE ${p.partitions('r')}
ORDER BY hour`;
}

/**
 * Requests per tenant per event hour. Columns: `tenant`, `hour`
 * ('YYYY-MM-DDTHH'), `username`, `requests`, `provisional_requests`.
 */
export function hourlyUsageByTenantSql(loc: LakeLocation, range: HourRange): string {
  return perTenantPerBucket(loc, fixedPeriod(range), 'hour');
}

/**
 * Requests per tenant per event day. Columns: `tenant`, `day` ('YYYY-MM-DD'),
 * `username`, `requests`, `provisional_requests`. Give whole days for whole-day figures.
 */
export function dailyUsageByTenantSql(loc: LakeLocation, range: HourRange): string {
  return perTenantPerBucket(loc, fixedPeriod(range), 'day');
}

/**
 * A month's usage per tenant: one row per tenant, ordered by `requests` desc.
 * Columns: `tenant` (Cognito sub), `username` (latest email seen), `requests`
 * (distinct requestIds), `response_bytes`, `error_requests` (status >= 400),
 * `error_share` (error_requests / requests), `provisional_requests` (counted
 * from raw hours not compacted yet; 0 means the figure is final).
 */
export function monthlyUsageByTenantSql(loc: LakeLocation, month: { year: number; month: number }): string {
  return monthlyByTenant(loc, fixedPeriod(monthRange(month)));
}

/**
 * Top endpoints (method + resource template) per tenant. Columns: `tenant`,
 * `rank` (1 = most requests), `http_method`, `resource_path`, `requests`, `error_requests`.
 */
export function topEndpointsByTenantSql(loc: LakeLocation, range: HourRange, limit = DEFAULT_TOP_ENDPOINTS): string {
  return topEndpoints(loc, fixedPeriod(range), limit);
}

/**
 * Error rate per event hour over all requests, unauthenticated ones included
 * (a burst of 401/403 is exactly what an operator looks for). Columns: `hour`,
 * `requests`, `client_errors` (4xx), `server_errors` (5xx),
 * `unauthenticated_requests`, `error_rate`, `provisional_requests`.
 */
export function errorRateSql(loc: LakeLocation, range: HourRange): string {
  return errorRate(loc, fixedPeriod(range));
}

/**
 * Arrival hours that `monthlyUsageByTenantSql` reads from the raw table because
 * they are not compacted yet and hold raw rows: one column `hour`
 * ('YYYY-MM-DDTHH'), ordered. It covers the hours of the month and the
 * late-arrival hour after it (the first hour of the next month), since both
 * feed the month's figure; an empty result means the figure is final.
 */
export function provisionalHoursSql(loc: LakeLocation, month: { year: number; month: number }): string {
  return provisionalHours(loc, fixedPeriod(monthRange(month)));
}

/** A usage query saved in the workgroup. */
export interface NamedUsageQuery {
  /** Name shown in the Athena console (unique in the workgroup). */
  readonly name: string;
  readonly description: string;
  readonly sql: string;
}

/**
 * The usage queries as saved named queries. They take no parameters: each
 * covers the month the query runs in (to date, plus the late-arrival hour),
 * with partition predicates built from `current_date`, so they are useful
 * any day without editing and still never scan outside the month.
 */
export function namedUsageQueries(loc: LakeLocation): NamedUsageQuery[] {
  const p = currentMonthPeriod();
  return [
    {
      name: 'usage-by-tenant-this-month',
      description: 'Requests, response bytes and errors per tenant for the current UTC month (billing view).',
      sql: monthlyByTenant(loc, p),
    },
    {
      name: 'usage-by-tenant-per-day-this-month',
      description: 'Requests per tenant per day for the current UTC month.',
      sql: perTenantPerBucket(loc, p, 'day'),
    },
    {
      name: 'usage-by-tenant-per-hour-this-month',
      description: 'Requests per tenant per hour for the current UTC month.',
      sql: perTenantPerBucket(loc, p, 'hour'),
    },
    {
      name: 'top-endpoints-by-tenant-this-month',
      description: `Top ${DEFAULT_TOP_ENDPOINTS} endpoints per tenant for the current UTC month.`,
      sql: topEndpoints(loc, p, DEFAULT_TOP_ENDPOINTS),
    },
    {
      name: 'error-rate-per-hour-this-month',
      description: 'Error rate per hour (all requests, unauthenticated included) for the current UTC month.',
      sql: errorRate(loc, p),
    },
    {
      name: 'provisional-hours-this-month',
      description: 'Hours of the current UTC month still read from the raw table (not compacted yet).',
      sql: provisionalHours(loc, p),
    },
  ];
}
