import { createTableSql, dropTableSql, projectionProperties, tableDdl } from '../../../../../src/lake/sql/ddl';
import { COMPACTED_TABLE, RAW_TABLE, STAGING_TABLE, TABLES } from '../../../../../src/lake/tables';
import { hiveErrors } from '../../../../helpers/sql';

const loc = { database: 'metering_dev', bucket: 'metering-dev-lake' };
/** Athena's `${key}` placeholder in `storage.location.template`. */
const v = (key: string) => `\${${key}}`;

describe('table DDL', () => {
  test.each(TABLES.map((t) => [t.name, t] as const))('CREATE and DROP of %s parse as Hive DDL', (_name, table) => {
    expect(hiveErrors(createTableSql(loc, table))).toEqual([]);
    expect(hiveErrors(dropTableSql(loc, table))).toEqual([]);
  });

  test('the grammar check rejects a broken statement', () => {
    const broken = createTableSql(loc, RAW_TABLE).replace('PARTITIONED BY', 'PARTITIONED');
    expect(hiveErrors(broken).length).toBeGreaterThan(0);
  });

  test('creates every table, the compaction staging table included', () => {
    expect(tableDdl(loc).map((t) => t.table)).toEqual(['access_log_raw', 'access_log', 'access_log_staging']);
  });

  test('tables are external and dropping them keeps the data', () => {
    for (const t of tableDdl(loc)) {
      expect(t.create).toMatch(/^CREATE EXTERNAL TABLE `metering_dev`\./);
      expect(t.drop).toBe(`DROP TABLE IF EXISTS \`metering_dev\`.\`${t.table}\``);
    }
  });

  test('raw table: every column a string, OpenX JSON SerDe that fails on malformed lines', () => {
    const sql = createTableSql(loc, RAW_TABLE);
    expect(sql).toContain("ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'");
    expect(sql).toContain("'ignore.malformed.json' = 'false'");
    for (const c of RAW_TABLE.columns) expect(sql).toContain(`\`${c.name}\` string COMMENT`);
    expect(sql).toContain("LOCATION 's3://metering-dev-lake/raw/'");
  });

  test('compacted and staging tables are ZSTD Parquet with typed columns', () => {
    for (const table of [COMPACTED_TABLE, STAGING_TABLE]) {
      const sql = createTableSql(loc, table);
      expect(sql).toContain('STORED AS PARQUET');
      expect(sql).toContain("'parquet.compression' = 'ZSTD'");
      expect(sql).toContain('`requestTimeEpoch` bigint');
      expect(sql).toContain('`status` int');
    }
  });

  test('hourly tables project zero-padded integer partitions onto the Firehose prefix', () => {
    expect(projectionProperties(loc, RAW_TABLE)).toEqual({
      'projection.enabled': 'true',
      'projection.year.type': 'integer',
      'projection.year.range': '2024,2099',
      'projection.year.digits': '4',
      'projection.month.type': 'integer',
      'projection.month.range': '1,12',
      'projection.month.digits': '2',
      'projection.day.type': 'integer',
      'projection.day.range': '1,31',
      'projection.day.digits': '2',
      'projection.hour.type': 'integer',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
      'storage.location.template': `s3://metering-dev-lake/raw/year=${v('year')}/month=${v('month')}/day=${v('day')}/hour=${v('hour')}/`,
    });
    expect(projectionProperties(loc, COMPACTED_TABLE)['storage.location.template']).toBe(
      `s3://metering-dev-lake/compacted/year=${v('year')}/month=${v('month')}/day=${v('day')}/hour=${v('hour')}/`,
    );
  });

  test('staging projects an injected run_id onto the run prefix', () => {
    expect(projectionProperties(loc, STAGING_TABLE)).toEqual({
      'projection.enabled': 'true',
      'projection.run_id.type': 'injected',
      'storage.location.template': `s3://metering-dev-lake/compaction-staging/run_id=${v('run_id')}/`,
    });
    expect(createTableSql(loc, STAGING_TABLE)).toContain('PARTITIONED BY (\n  `run_id` string');
  });

  test('quotes in comments are escaped, so a comment cannot end the literal', () => {
    const sql = createTableSql(loc, RAW_TABLE);
    expect(sql).toContain("COMMENT 'The caller\\'s email");
  });

  test('rejects a malicious database or bucket name', () => {
    expect(() => tableDdl({ ...loc, database: 'x`; DROP DATABASE y; --' })).toThrow(/invalid database name/);
    expect(() => tableDdl({ ...loc, bucket: "b' LOCATION 's3://evil/" })).toThrow(/invalid bucket name/);
  });
});
