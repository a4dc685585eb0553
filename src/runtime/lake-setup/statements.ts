import type { AthenaClient } from '@aws-sdk/client-athena';
import type { TableDdl } from '../../lake/sql/ddl';
import { isIdentifier } from '../../lake/tables';
import { runQuery } from '../shared/athena';
import type { Sleep } from '../shared/backoff';

/** A table's DDL as the construct generated it at synth. */
export type TableStatements = TableDdl;

const CREATE = 'CREATE EXTERNAL TABLE ';
const DROP = 'DROP TABLE IF EXISTS ';

/** Validates the table list that arrived as custom resource properties. */
export function parseTables(value: unknown): TableStatements[] {
  if (!Array.isArray(value)) throw new Error('Tables: expected an array');
  return value.map((t, i) => {
    const { table, create, drop } = (t ?? {}) as Record<string, unknown>;
    if (typeof table !== 'string' || !isIdentifier(table)) {
      throw new Error(`Tables[${i}].table: expected a table name, got ${JSON.stringify(table)}`);
    }
    // Only external-table DDL is accepted, so this resource can never drop or
    // create anything that holds data.
    if (typeof create !== 'string' || !create.startsWith(CREATE)) {
      throw new Error(`Tables[${i}].create: expected a ${CREATE.trim()} statement`);
    }
    if (typeof drop !== 'string' || !drop.startsWith(DROP)) {
      throw new Error(`Tables[${i}].drop: expected a ${DROP.trim()} statement`);
    }
    return { table, create, drop };
  });
}

/** `CREATE EXTERNAL TABLE IF NOT EXISTS`: recreates a table someone dropped, leaves an existing one alone. */
export function ensureSql(t: TableStatements): string {
  return `CREATE EXTERNAL TABLE IF NOT EXISTS ${t.create.slice(CREATE.length)}`;
}

/** Create: replace whatever a failed earlier attempt left behind, so a retried Create converges. */
export function createPlan(tables: readonly TableStatements[]): string[] {
  return tables.flatMap((t) => [t.drop, t.create]);
}

/**
 * Update: drop tables that left the set; replace (drop + create) tables whose
 * definition changed, which is safe because external tables hold no data; for
 * unchanged tables only recreate them if missing, so an unrelated deploy
 * never makes a table briefly disappear.
 */
export function updatePlan(previous: readonly TableStatements[], next: readonly TableStatements[]): string[] {
  const nextNames = new Set(next.map((t) => t.table));
  const before = new Map(previous.map((t) => [t.table, t]));
  const removed = previous.filter((t) => !nextNames.has(t.table)).map((t) => t.drop);
  const kept = next.flatMap((t) => {
    const old = before.get(t.table);
    return old && old.create === t.create ? [ensureSql(t)] : [t.drop, t.create];
  });
  return [...removed, ...kept];
}

/** Delete: drop table definitions only; `IF EXISTS` makes an already-gone table a success. */
export function deletePlan(tables: readonly TableStatements[]): string[] {
  return tables.map((t) => t.drop);
}

export interface RunStatementsOptions {
  readonly workGroup: string;
  readonly database: string;
  readonly sleep?: Sleep;
  /** Per-statement timeout. @default runQuery's default */
  readonly timeoutMs?: number;
}

/**
 * Runs the statements one after another (DDL on the same table must not
 * overlap). The first FAILED or CANCELLED statement throws an
 * `AthenaQueryError` carrying Athena's reason and the statement.
 */
export async function runStatements(
  client: AthenaClient,
  statements: readonly string[],
  opts: RunStatementsOptions,
): Promise<void> {
  for (const sql of statements) {
    await runQuery(client, sql, {
      workGroup: opts.workGroup,
      database: opts.database,
      sleep: opts.sleep,
      timeoutMs: opts.timeoutMs,
    });
  }
}
