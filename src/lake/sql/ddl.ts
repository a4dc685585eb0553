import {
  assertColumnName,
  assertIdentifier,
  type Column,
  type LakeLocation,
  PARTITION_DIGITS,
  PARTITION_RANGES,
  TABLES,
  type TableDefinition,
  tableLocation,
} from '../tables';

/**
 * Athena (Hive) DDL for the metering tables, generated from `tables.ts`.
 *
 * Every table is EXTERNAL (dropping it never deletes data) and uses partition
 * projection, so no partition is ever registered and no `MSCK REPAIR TABLE` is
 * needed: Athena computes the partitions from the table properties.
 */

/** The DDL of one table: how the lake setup custom resource creates and drops it. */
export interface TableDdl {
  readonly table: string;
  readonly create: string;
  readonly drop: string;
}

/** Raw JSON lines are read by the OpenX SerDe; Athena reads the `.gz` objects Firehose writes directly. */
export const JSON_SERDE = 'org.openx.data.jsonserde.JsonSerDe';

const HIVE_TYPE: Record<Column['type'], string> = { string: 'string', bigint: 'bigint', int: 'int' };

function columnName(name: string): string {
  return `\`${assertColumnName(name)}\``;
}

/** A Hive string literal; comments are code-owned text but may contain quotes. */
function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `\`db\`.\`table\`` for Hive DDL. */
function hiveName(loc: LakeLocation, table: TableDefinition): string {
  return `\`${assertIdentifier(loc.database, 'database name')}\`.\`${assertIdentifier(table.name, 'table name')}\``;
}

function columnList(columns: readonly Column[]): string {
  return columns.map((c) => `  ${columnName(c.name)} ${HIVE_TYPE[c.type]} COMMENT ${literal(c.comment)}`).join(',\n');
}

/** Partition projection properties, and where each projected partition lives. */
export function projectionProperties(loc: LakeLocation, table: TableDefinition): Record<string, string> {
  const base = tableLocation(loc, table);
  const props: Record<string, string> = { 'projection.enabled': 'true' };
  if (table.projection === 'hourly') {
    for (const key of table.partitionKeys) {
      const range = PARTITION_RANGES[key.name];
      const digits = PARTITION_DIGITS[key.name];
      if (!range || !digits) throw new Error(`table ${table.name}: no projection range/digits for ${key.name}`);
      if (key.type === 'string') throw new Error(`table ${table.name}: hourly key ${key.name} must be an integer`);
      props[`projection.${key.name}.type`] = 'integer';
      props[`projection.${key.name}.range`] = `${range[0]},${range[1]}`;
      props[`projection.${key.name}.digits`] = String(digits);
    }
  } else {
    // Injected: queries must name the run (`run_id = '...'`), which is exactly how staging is used.
    for (const key of table.partitionKeys) props[`projection.${key.name}.type`] = 'injected';
  }
  const path = table.partitionKeys.map((k) => `${columnName(k.name).slice(1, -1)}=\${${k.name}}`).join('/');
  props['storage.location.template'] = `${base}${path}/`;
  return props;
}

function storageClause(table: TableDefinition): { storage: string; properties: Record<string, string> } {
  switch (table.format) {
    case 'json-gzip':
      return {
        // ignore.malformed.json = false: a line the SerDe cannot parse fails the
        // query (HIVE_CURSOR_ERROR names the object) instead of silently turning a
        // billable request into an all-NULL row that the usage queries would skip.
        // The access-log format admits only fields that need no escaping, so a
        // malformed line means something is broken and must be looked at.
        storage: [
          `ROW FORMAT SERDE ${literal(JSON_SERDE)}`,
          "WITH SERDEPROPERTIES ('ignore.malformed.json' = 'false', 'case.insensitive' = 'true')",
          "STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'",
          "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
        ].join('\n'),
        properties: { classification: 'json', compressionType: 'gzip' },
      };
    case 'parquet-zstd':
      return {
        storage: 'STORED AS PARQUET',
        properties: { classification: 'parquet', 'parquet.compression': 'ZSTD' },
      };
  }
}

/** `CREATE EXTERNAL TABLE` for `table` in the stage's database. */
export function createTableSql(loc: LakeLocation, table: TableDefinition): string {
  if (table.partitionKeys.length === 0)
    throw new Error(`table ${table.name}: partition projection needs partition keys`);
  const { storage, properties } = storageClause(table);
  const tblProperties = { ...properties, ...projectionProperties(loc, table) };
  return [
    `CREATE EXTERNAL TABLE ${hiveName(loc, table)} (`,
    columnList(table.columns),
    ')',
    `COMMENT ${literal(table.comment)}`,
    `PARTITIONED BY (\n${columnList(table.partitionKeys)}\n)`,
    storage,
    `LOCATION ${literal(tableLocation(loc, table))}`,
    `TBLPROPERTIES (\n${Object.entries(tblProperties)
      .map(([k, v]) => `  ${literal(k)} = ${literal(v)}`)
      .join(',\n')}\n)`,
  ].join('\n');
}

/** `DROP TABLE IF EXISTS`: removes the definition only; the table is external, so its S3 data stays. */
export function dropTableSql(loc: LakeLocation, table: TableDefinition): string {
  return `DROP TABLE IF EXISTS ${hiveName(loc, table)}`;
}

/** DDL of every metering table, in creation order. */
export function tableDdl(loc: LakeLocation, tables: readonly TableDefinition[] = TABLES): TableDdl[] {
  const names = new Set<string>();
  return tables.map((t) => {
    if (names.has(t.name)) throw new Error(`duplicate table ${t.name}`);
    names.add(t.name);
    return { table: t.name, create: createTableSql(loc, t), drop: dropTableSql(loc, t) };
  });
}
