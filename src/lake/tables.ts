import { ACCESS_LOG_FIELDS } from './access-log-format';

/**
 * The one typed definition of the metering tables. DDL, compaction statements
 * and usage queries are all generated from it (see `sql/`), so a column added
 * here reaches every statement.
 */

export type ColumnType = 'string' | 'bigint' | 'int';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly comment: string;
}

export type StorageFormat =
  /** Firehose output: newline-delimited JSON, gzip, every value a string. */
  | 'json-gzip'
  /** Compaction output: Parquet with ZSTD. */
  | 'parquet-zstd';

/**
 * How Athena finds a table's partitions (always partition projection, never
 * registered partitions):
 * - `hourly`: integer year/month/day/hour, zero-padded like Firehose's prefix;
 * - `run`: one injected string key (`run_id`), for compaction staging where every
 *   run writes its own prefix and queries always name the run.
 */
export type ProjectionKind = 'hourly' | 'run';

export interface TableDefinition {
  /** Table name inside the stage's database. */
  readonly name: string;
  readonly projection: ProjectionKind;
  readonly columns: readonly Column[];
  readonly partitionKeys: readonly Column[];
  readonly format: StorageFormat;
  /** Key prefix of the table's data in the lake bucket, ending in '/'. */
  readonly prefix: string;
  readonly comment: string;
}

/**
 * Partition columns: integers, written zero-padded to two digits (month, day,
 * hour) in the prefix exactly as Firehose's `!{timestamp:MM}` does.
 */
export const PARTITION_KEYS: readonly Column[] = [
  { name: 'year', type: 'int', comment: 'UTC year of arrival' },
  { name: 'month', type: 'int', comment: 'UTC month of arrival' },
  { name: 'day', type: 'int', comment: 'UTC day of arrival' },
  { name: 'hour', type: 'int', comment: 'UTC hour of arrival' },
];

/** Zero-padding of each partition key in the S3 prefix. */
export const PARTITION_DIGITS: Readonly<Record<string, number>> = { year: 4, month: 2, day: 2, hour: 2 };

/** Inclusive ranges for partition projection. */
export const PARTITION_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  year: [2024, 2099],
  month: [1, 12],
  day: [1, 31],
  hour: [0, 23],
};

/** Prefixes in the lake bucket. Only RAW and COMPACTED are table data. */
export const LAKE_PREFIXES = {
  raw: 'raw/',
  /** Firehose delivery errors, with `!{firehose:error-output-type}`. */
  errors: 'errors/',
  compacted: 'compacted/',
  /** Run-scoped staging of the compaction job; never under a table location. */
  staging: 'compaction-staging/',
  /** Run manifests of the compaction job; never under a table location. */
  manifests: 'compaction-manifests/',
} as const;

/** The Firehose S3 prefix for raw objects: arrival-time partitions. */
export const RAW_FIREHOSE_PREFIX = `${LAKE_PREFIXES.raw}year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/`;
/** The Firehose S3 prefix for records it could not deliver. */
export const ERROR_FIREHOSE_PREFIX = `${LAKE_PREFIXES.errors}!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/`;

/** Raw table: every access-log field as a string, exactly as API Gateway wrote it. */
export const RAW_TABLE: TableDefinition = {
  name: 'access_log_raw',
  columns: ACCESS_LOG_FIELDS.map((f) => ({ name: f.name, type: 'string' as const, comment: f.description })),
  partitionKeys: PARTITION_KEYS,
  projection: 'hourly',
  format: 'json-gzip',
  prefix: LAKE_PREFIXES.raw,
  comment: 'API Gateway access logs as delivered by Firehose (gzip JSON, at-least-once, may hold duplicates).',
};

/** Compacted table: typed columns, one row per request (deduplicated by requestId). */
export const COMPACTED_TABLE: TableDefinition = {
  name: 'access_log',
  columns: ACCESS_LOG_FIELDS.map((f) => ({ name: f.name, type: f.type, comment: f.description })),
  partitionKeys: PARTITION_KEYS,
  projection: 'hourly',
  format: 'parquet-zstd',
  prefix: LAKE_PREFIXES.compacted,
  comment: 'Access logs compacted hourly into ZSTD Parquet, exactly one row per requestId.',
};

/**
 * Compaction staging: each run writes its rows under `run_id=<id>/`, where they
 * are counted before they replace the hour's objects in the compacted table.
 * Same columns as the compacted table, so staged objects are moved, not rewritten.
 */
export const STAGING_TABLE: TableDefinition = {
  name: 'access_log_staging',
  columns: COMPACTED_TABLE.columns,
  partitionKeys: [{ name: 'run_id', type: 'string', comment: 'Compaction run that wrote the rows' }],
  projection: 'run',
  format: 'parquet-zstd',
  prefix: LAKE_PREFIXES.staging,
  comment: 'Compaction staging area: rows of one run, counted before they are moved into access_log.',
};

export const TABLES: readonly TableDefinition[] = [RAW_TABLE, COMPACTED_TABLE, STAGING_TABLE];

/** Where a stage's tables live. Values come from config and stack outputs, so they are validated. */
export interface LakeLocation {
  /** Glue database name. */
  readonly database: string;
  /** Lake bucket name. */
  readonly bucket: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,254}$/;
const BUCKET = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Throws unless `name` is a plain lowercase SQL identifier. Everything spliced
 * into generated SQL goes through this or `assertBucketName`, so config cannot
 * inject SQL.
 */
export function assertIdentifier(name: string, what = 'identifier'): string {
  if (!isIdentifier(name)) {
    throw new Error(`invalid ${what} ${JSON.stringify(name)}: expected lowercase letters, digits and '_'`);
  }
  return name;
}

/** Whether `name` is a plain lowercase SQL identifier (database or table name). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The column `name` of `table` (data or partition column). Throws if the table
 * module has no such column, so a renamed field breaks the SQL generator at
 * synth or in a unit test rather than the query in AWS, and if the name is not
 * a plain identifier that can be spliced into SQL unquoted.
 */
export function column(table: TableDefinition, name: string): Column {
  const col = [...table.columns, ...table.partitionKeys].find((c) => c.name === name);
  if (!col) throw new Error(`table ${table.name} has no column ${name}`);
  return { ...col, name: assertColumnName(col.name) };
}

/** Throws unless `name` is a plain column identifier (letters, digits, '_'). */
export function assertColumnName(name: string): string {
  if (!COLUMN_NAME.test(name)) throw new Error(`invalid column name ${JSON.stringify(name)}: not a plain identifier`);
  return name;
}

/** Throws unless `name` is a valid S3 bucket name (which also makes it safe inside a SQL string literal). */
export function assertBucketName(name: string): string {
  if (!BUCKET.test(name)) throw new Error(`invalid bucket name ${JSON.stringify(name)}`);
  return name;
}

/** `s3://bucket/prefix` of a table. */
export function tableLocation(loc: LakeLocation, table: TableDefinition): string {
  return `s3://${assertBucketName(loc.bucket)}/${table.prefix}`;
}

/** Fully qualified, quoted table name for SQL: `"db"."table"`. */
export function qualifiedName(loc: Pick<LakeLocation, 'database'>, table: TableDefinition): string {
  return `"${assertIdentifier(loc.database, 'database name')}"."${assertIdentifier(table.name, 'table name')}"`;
}
