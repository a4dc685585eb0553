import type { AthenaClient } from '@aws-sdk/client-athena';
import { monthlyUsageByTenantSql, provisionalHoursSql } from '../../src/lake/sql/usage';
import type { LakeLocation } from '../../src/lake/tables';
import { fetchRows, type Row, runQuery } from '../../src/runtime/shared/athena';
import type { Sleep } from '../../src/runtime/shared/backoff';
import type { Month } from './month';

/** One tenant's month, as the monthly usage query returns it. */
export interface TenantUsage {
  /** Cognito sub: the tenant key. */
  readonly tenant: string;
  readonly username: string | null;
  readonly requests: number;
  readonly responseBytes: number;
  readonly errorRequests: number;
  /** 0-1 */
  readonly errorShare: number;
  /** Requests counted from raw hours not compacted yet; 0 means the figure is final. */
  readonly provisionalRequests: number;
}

export interface UsageReport {
  readonly month: Month;
  readonly tenants: readonly TenantUsage[];
  /** Arrival hours read from raw because they are not compacted yet ('YYYY-MM-DDTHH'). */
  readonly provisionalHours: readonly string[];
  /** True when no figure depends on an uncompacted hour. */
  readonly final: boolean;
  readonly dataScannedInBytes: number;
}

export interface UsageReportOptions {
  readonly workgroup: string;
  readonly location: LakeLocation;
  readonly month: Month;
  readonly sleep?: Sleep;
  readonly now?: () => number;
}

/** Runs the monthly usage query and the provisional-hours query in the workgroup and reads both results. */
export async function usageReport(athena: AthenaClient, opts: UsageReportOptions): Promise<UsageReport> {
  const run = async (sql: string) => {
    const outcome = await runQuery(athena, sql, {
      workGroup: opts.workgroup,
      database: opts.location.database,
      sleep: opts.sleep,
      now: opts.now,
    });
    return { rows: await fetchRows(athena, outcome.queryExecutionId), scanned: outcome.dataScannedInBytes };
  };
  const [usage, hours] = await Promise.all([
    run(monthlyUsageByTenantSql(opts.location, opts.month)),
    run(provisionalHoursSql(opts.location, opts.month)),
  ]);
  const tenants = usage.rows.map(tenantUsage);
  const provisionalHours = hours.rows.map((r) => r.hour).filter((h): h is string => typeof h === 'string');
  return {
    month: opts.month,
    tenants,
    provisionalHours,
    final: provisionalHours.length === 0 && tenants.every((t) => t.provisionalRequests === 0),
    dataScannedInBytes: usage.scanned + hours.scanned,
  };
}

function tenantUsage(row: Row): TenantUsage {
  return {
    tenant: text(row, 'tenant'),
    username: row.username ?? null,
    requests: count(row, 'requests'),
    responseBytes: count(row, 'response_bytes'),
    errorRequests: count(row, 'error_requests'),
    errorShare: ratio(row, 'error_share'),
    provisionalRequests: count(row, 'provisional_requests'),
  };
}

function text(row: Row, column: string): string {
  const v = row[column];
  if (v === undefined || v === null) throw new Error(`usage query returned no ${column}: ${JSON.stringify(row)}`);
  return v;
}

function count(row: Row, column: string): number {
  const v = Number(text(row, column));
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new Error(`usage query returned ${column}=${JSON.stringify(row[column])}: expected a count`);
  }
  return v;
}

function ratio(row: Row, column: string): number {
  const v = Number(text(row, column));
  if (!Number.isFinite(v) || v < 0 || v > 1) {
    throw new Error(`usage query returned ${column}=${JSON.stringify(row[column])}: expected a share from 0 to 1`);
  }
  return v;
}
