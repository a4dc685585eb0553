import { HiveSQL, TrinoSQL } from 'dt-sql-parser';

const hive = new HiveSQL();
const trino = new TrinoSQL();

/** Syntax errors of an Athena DDL statement under the Hive grammar ([] when it parses). */
export function hiveErrors(sql: string): string[] {
  return hive.validate(sql).map((e) => `${e.startLine}:${e.startColumn} ${e.message}`);
}

/** Syntax errors of an Athena SELECT/INSERT/CTAS under the Trino grammar ([] when it parses). */
export function trinoErrors(sql: string): string[] {
  return trino.validate(sql).map((e) => `${e.startLine}:${e.startColumn} ${e.message}`);
}
