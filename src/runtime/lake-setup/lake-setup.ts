import type { AthenaClient } from '@aws-sdk/client-athena';
import type { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { isIdentifier } from '../../lake/tables';
import type { Sleep } from '../shared/backoff';
import { diffGrants, type Grant, parseGrants } from './grants';
import { grantAll, revokeAll } from './lake-formation';
import { createPlan, deletePlan, parseTables, runStatements, type TableStatements, updatePlan } from './statements';

/** The custom resource's properties, as the LakeSetup construct writes them. */
export interface LakeSetupProperties {
  readonly database: string;
  readonly workGroup: string;
  readonly bucket: string;
  readonly tables: readonly TableStatements[];
  readonly grants: readonly Grant[];
}

/** The subset of a CloudFormation custom resource event this resource reads. */
export interface LakeSetupEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
}

/** Kept tiny: CloudFormation caps the whole response at 4,096 bytes. */
export interface LakeSetupResponse {
  readonly PhysicalResourceId: string;
  readonly Data: { readonly Tables: string };
}

export interface LakeSetupClients {
  readonly athena: AthenaClient;
  readonly lakeFormation: LakeFormationClient;
  /** Injected for tests so retries and polling do not wait. */
  readonly sleep?: Sleep;
}

/**
 * Stable across updates (a changed id would make CloudFormation delete "the
 * old" resource after an update, dropping the tables just created). It changes
 * only when the database changes, which really is a replacement.
 */
export function physicalResourceId(database: string): string {
  return `lake-setup:${database}`;
}

export function parseProperties(
  raw: Record<string, unknown> | undefined,
  what = 'ResourceProperties',
): LakeSetupProperties {
  if (!raw) throw new Error(`${what}: missing`);
  const str = (k: string) => {
    const v = raw[k];
    if (typeof v !== 'string' || v === '') throw new Error(`${what}.${k}: expected a non-empty string`);
    return v;
  };
  const database = str('Database');
  if (!isIdentifier(database)) throw new Error(`${what}.Database: invalid database name ${JSON.stringify(database)}`);
  const bucket = str('Bucket');
  const tables = parseTables(raw.Tables);
  for (const t of tables) {
    if (!t.create.includes(`LOCATION 's3://${bucket}/`)) {
      throw new Error(`${what}: table ${t.table} is not located in bucket ${bucket}`);
    }
  }
  return { database, workGroup: str('WorkGroup'), bucket, tables, grants: parseGrants(raw.Grants) };
}

/**
 * Create: (re)create every table, then grant the whole set (tables must exist
 * before grants on them).
 * Update: revoke what left the grant set, apply the DDL changes, grant the
 * whole new set (a replaced table has lost its grants).
 * Delete: revoke what it granted, drop its tables; S3 data is never touched,
 * and whatever is already gone counts as done.
 */
export async function onEvent(
  event: LakeSetupEvent,
  clients: LakeSetupClients,
  onError: (e: unknown) => void = () => {},
): Promise<LakeSetupResponse> {
  try {
    return await apply(event, clients);
  } catch (e) {
    onError(e);
    throw boundedError(e);
  }
}

/**
 * The provider framework sends the error message as the response's Reason, and
 * CloudFormation rejects a response over 4,096 bytes, so the message is cut to
 * fit. Its head is what matters: Athena's reason, then the start of the
 * statement (which names the table). The full error is in the function's log.
 */
export const MAX_REASON_LENGTH = 2000;

export function boundedError(e: unknown): Error {
  const message = e instanceof Error ? e.message : String(e);
  if (message.length <= MAX_REASON_LENGTH) return e instanceof Error ? e : new Error(message);
  const cut = new Error(`${message.slice(0, MAX_REASON_LENGTH - 40)}… (truncated; full error in the log)`);
  cut.name = e instanceof Error ? e.name : 'Error';
  return cut;
}

async function apply(event: LakeSetupEvent, clients: LakeSetupClients): Promise<LakeSetupResponse> {
  const props = parseProperties(event.ResourceProperties);
  const lf = { sleep: clients.sleep };
  const ddl = (statements: string[]) =>
    runStatements(clients.athena, statements, {
      workGroup: props.workGroup,
      database: props.database,
      sleep: clients.sleep,
    });
  const id = physicalResourceId(props.database);
  const response = { PhysicalResourceId: id, Data: { Tables: props.tables.map((t) => t.table).join(',') } };

  switch (event.RequestType) {
    case 'Create': {
      await ddl(createPlan(props.tables));
      await grantAll(clients.lakeFormation, props.grants, lf);
      return response;
    }
    case 'Update': {
      const previous = parseProperties(event.OldResourceProperties, 'OldResourceProperties');
      if (physicalResourceId(previous.database) !== id) {
        // A new database is a new resource: set it up from scratch; CloudFormation
        // then sends Delete for the old id, which cleans up the old database.
        await ddl(createPlan(props.tables));
        await grantAll(clients.lakeFormation, props.grants, lf);
        return response;
      }
      const { revoke, grant } = diffGrants(previous.grants, props.grants);
      await revokeAll(clients.lakeFormation, revoke, lf);
      await ddl(updatePlan(previous.tables, props.tables));
      await grantAll(clients.lakeFormation, grant, lf);
      return response;
    }
    case 'Delete': {
      await revokeAll(clients.lakeFormation, props.grants, lf);
      await ddl(deletePlan(props.tables));
      return { ...response, PhysicalResourceId: event.PhysicalResourceId ?? id };
    }
    default:
      throw new Error(`unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}`);
  }
}
