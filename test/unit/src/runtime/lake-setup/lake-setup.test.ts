import 'aws-sdk-client-mock-jest';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  type QueryExecutionStatus,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  BatchGrantPermissionsCommand,
  BatchRevokePermissionsCommand,
  LakeFormationClient,
} from '@aws-sdk/client-lakeformation';
import { mockClient } from 'aws-sdk-client-mock';
import { tableDdl } from '../../../../../src/lake/sql/ddl';
import { stageGrants } from '../../../../../src/runtime/lake-setup/grants';
import { type LakeSetupEvent, MAX_REASON_LENGTH, onEvent } from '../../../../../src/runtime/lake-setup/lake-setup';

const athenaMock = mockClient(AthenaClient);
const lfMock = mockClient(LakeFormationClient);
const sleep = jest.fn(async () => {});
const clients = { athena: new AthenaClient({}), lakeFormation: new LakeFormationClient({}), sleep };

const ROLE = (name: string) => `arn:aws:iam::111111111111:role/${name}`;
const loc = { database: 'metering_dev', bucket: 'metering-dev-lake' };
const grantInput = {
  database: loc.database,
  rawTable: 'access_log_raw',
  compactedTable: 'access_log',
  stagingTable: 'access_log_staging',
  dataLocationArn: 'arn:aws:s3:::metering-dev-lake',
  compactionPrincipal: ROLE('compaction'),
  readerPrincipals: [ROLE('analyst'), ROLE('finance')],
  rawReaderPrincipals: [ROLE('smoke')],
};

function properties(overrides: { tables?: unknown; grants?: unknown } = {}) {
  return {
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
    Database: loc.database,
    WorkGroup: 'metering-dev',
    Bucket: loc.bucket,
    Tables: overrides.tables ?? tableDdl(loc),
    Grants: overrides.grants ?? stageGrants(grantInput),
  };
}

/**
 * A scripted Athena: every started statement gets an id; GetQueryExecution
 * walks through the states scripted for the statement (matched by a
 * substring), then stays at the last one. Unscripted statements succeed.
 */
let scripts: { match: string; states: QueryExecutionStatus[] }[] = [];
let started: { id: string; sql: string }[] = [];
const polls = new Map<string, number>();

beforeEach(() => {
  athenaMock.reset();
  lfMock.reset();
  sleep.mockClear();
  scripts = [];
  started = [];
  polls.clear();
  athenaMock.on(StartQueryExecutionCommand).callsFake((input) => {
    const id = `q${started.length + 1}`;
    started.push({ id, sql: input.QueryString });
    return { QueryExecutionId: id };
  });
  athenaMock.on(GetQueryExecutionCommand).callsFake(({ QueryExecutionId }) => {
    const run = started.find((s) => s.id === QueryExecutionId);
    const script = scripts.find((s) => run?.sql.includes(s.match));
    // A script applies to the first execution of its statement only, so a restart can succeed.
    const firstRun = started.find((s) => s.sql === run?.sql)?.id === QueryExecutionId;
    const states = script && firstRun ? script.states : [{ State: 'SUCCEEDED' as const }];
    const n = polls.get(QueryExecutionId) ?? 0;
    polls.set(QueryExecutionId, n + 1);
    return { QueryExecution: { QueryExecutionId, Status: states[Math.min(n, states.length - 1)] } };
  });
  lfMock.on(BatchGrantPermissionsCommand).resolves({});
  lfMock.on(BatchRevokePermissionsCommand).resolves({});
});

const statements = () => started.map((s) => s.sql.split('(')[0].trim());
const granted = () => lfMock.commandCalls(BatchGrantPermissionsCommand).flatMap((c) => c.args[0].input.Entries ?? []);
const revoked = () => lfMock.commandCalls(BatchRevokePermissionsCommand).flatMap((c) => c.args[0].input.Entries ?? []);

describe('Create', () => {
  test('replaces every table, then grants the whole set; stable physical id, small response', async () => {
    const event: LakeSetupEvent = { RequestType: 'Create', ResourceProperties: properties() };
    const response = await onEvent(event, clients);
    expect(statements()).toEqual([
      'DROP TABLE IF EXISTS `metering_dev`.`access_log_raw`',
      'CREATE EXTERNAL TABLE `metering_dev`.`access_log_raw`',
      'DROP TABLE IF EXISTS `metering_dev`.`access_log`',
      'CREATE EXTERNAL TABLE `metering_dev`.`access_log`',
      'DROP TABLE IF EXISTS `metering_dev`.`access_log_staging`',
      'CREATE EXTERNAL TABLE `metering_dev`.`access_log_staging`',
    ]);
    expect(athenaMock).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      WorkGroup: 'metering-dev',
      QueryExecutionContext: { Database: 'metering_dev' },
    });
    expect(granted()).toHaveLength(stageGrants(grantInput).length);
    expect(revoked()).toHaveLength(0);
    expect(response).toEqual({
      PhysicalResourceId: 'lake-setup:metering_dev',
      Data: { Tables: 'access_log_raw,access_log,access_log_staging' },
    });
    expect(JSON.stringify(response).length).toBeLessThan(500);
  });

  test('DDL runs before any grant (grants on a table need the table)', async () => {
    const order: string[] = [];
    athenaMock.on(StartQueryExecutionCommand).callsFake((input) => {
      order.push('ddl');
      started.push({ id: `q${started.length + 1}`, sql: input.QueryString });
      return { QueryExecutionId: `q${started.length}` };
    });
    lfMock.on(BatchGrantPermissionsCommand).callsFake(() => {
      order.push('grant');
      return {};
    });
    await onEvent({ RequestType: 'Create', ResourceProperties: properties() }, clients);
    expect(order.indexOf('grant')).toBeGreaterThan(order.lastIndexOf('ddl'));
  });

  test('rejects properties that would touch another bucket or a non-external table', async () => {
    const [raw] = tableDdl(loc);
    const otherBucket = tableDdl({ ...loc, bucket: 'someone-elses-bucket' });
    await expect(
      onEvent({ RequestType: 'Create', ResourceProperties: properties({ tables: otherBucket }) }, clients),
    ).rejects.toThrow(/not located in bucket metering-dev-lake/);
    const managed = [{ ...raw, create: raw.create.replace('CREATE EXTERNAL TABLE', 'CREATE TABLE') }];
    await expect(
      onEvent({ RequestType: 'Create', ResourceProperties: properties({ tables: managed }) }, clients),
    ).rejects.toThrow(/expected a CREATE EXTERNAL TABLE statement/);
    expect(started).toHaveLength(0);
  });
});

describe('Update', () => {
  test('revokes only removed grants, replaces only the changed table, keeps the physical id', async () => {
    const oldTables = tableDdl(loc);
    const newTables = oldTables.map((t) =>
      t.table === 'access_log'
        ? {
            ...t,
            create: t.create.replace("'parquet.compression' = 'ZSTD'", "'parquet.compression' = 'ZSTD', 'x' = 'y'"),
          }
        : t,
    );
    const newGrants = stageGrants({ ...grantInput, readerPrincipals: [ROLE('analyst')] });
    const response = await onEvent(
      {
        RequestType: 'Update',
        PhysicalResourceId: 'lake-setup:metering_dev',
        ResourceProperties: properties({ tables: newTables, grants: newGrants }),
        OldResourceProperties: properties({ tables: oldTables }),
      },
      clients,
    );
    expect(response.PhysicalResourceId).toBe('lake-setup:metering_dev');
    expect(statements()).toEqual([
      'CREATE EXTERNAL TABLE IF NOT EXISTS `metering_dev`.`access_log_raw`',
      'DROP TABLE IF EXISTS `metering_dev`.`access_log`',
      'CREATE EXTERNAL TABLE `metering_dev`.`access_log`',
      'CREATE EXTERNAL TABLE IF NOT EXISTS `metering_dev`.`access_log_staging`',
    ]);
    const revokedFrom = revoked().map((e) => e.Principal?.DataLakePrincipalIdentifier);
    expect(new Set(revokedFrom)).toEqual(new Set([ROLE('finance')]));
    expect(revoked()).toHaveLength(3);
    // The replaced table lost its grants with the drop: the whole new set is granted again.
    expect(granted()).toHaveLength(newGrants.length);
  });

  test('a table removed from the set is dropped', async () => {
    const oldTables = tableDdl(loc);
    await onEvent(
      {
        RequestType: 'Update',
        PhysicalResourceId: 'lake-setup:metering_dev',
        ResourceProperties: properties({ tables: oldTables.slice(0, 2) }),
        OldResourceProperties: properties({ tables: oldTables }),
      },
      clients,
    );
    expect(statements()[0]).toBe('DROP TABLE IF EXISTS `metering_dev`.`access_log_staging`');
  });
});

describe('Delete', () => {
  test('revokes what it granted, then drops its tables; never anything else', async () => {
    const response = await onEvent(
      { RequestType: 'Delete', PhysicalResourceId: 'lake-setup:metering_dev', ResourceProperties: properties() },
      clients,
    );
    expect(revoked()).toHaveLength(stageGrants(grantInput).length);
    expect(granted()).toHaveLength(0);
    expect(statements()).toEqual([
      'DROP TABLE IF EXISTS `metering_dev`.`access_log_raw`',
      'DROP TABLE IF EXISTS `metering_dev`.`access_log`',
      'DROP TABLE IF EXISTS `metering_dev`.`access_log_staging`',
    ]);
    expect(response.PhysicalResourceId).toBe('lake-setup:metering_dev');
  });

  test('things already gone count as success', async () => {
    lfMock.on(BatchRevokePermissionsCommand).callsFake(({ Entries }) => ({
      Failures: Entries.map((e: { Id: string }, i: number) => ({
        RequestEntry: e,
        Error:
          i % 2 === 0
            ? {
                ErrorCode: 'InvalidInputException',
                ErrorMessage: 'No permissions revoked. Grantee does not have the permission',
              }
            : { ErrorCode: 'EntityNotFoundException', ErrorMessage: 'Table access_log not found' },
      })),
    }));
    await expect(
      onEvent(
        { RequestType: 'Delete', PhysicalResourceId: 'lake-setup:metering_dev', ResourceProperties: properties() },
        clients,
      ),
    ).resolves.toMatchObject({ PhysicalResourceId: 'lake-setup:metering_dev' });
    expect(statements().every((s) => s.startsWith('DROP TABLE IF EXISTS'))).toBe(true);
  });
});

describe('Athena outcomes', () => {
  const create = () => onEvent({ RequestType: 'Create', ResourceProperties: properties() }, clients);

  test('FAILED fails the resource with Athena reason and the statement, and stops there', async () => {
    scripts = [
      {
        match: 'CREATE EXTERNAL TABLE `metering_dev`.`access_log` (',
        states: [{ State: 'RUNNING' }, { State: 'FAILED', StateChangeReason: 'FAILED: SemanticException bad type' }],
      },
    ];
    const error = await create().catch((e) => e);
    expect(error.message).toMatch(/FAILED: FAILED: SemanticException bad type/);
    expect(error.message).toContain('CREATE EXTERNAL TABLE `metering_dev`.`access_log` (');
    expect(error.message.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
    expect(statements()).toHaveLength(4);
    expect(granted()).toHaveLength(0);
  });

  test('CANCELLED fails the resource', async () => {
    scripts = [
      {
        match: 'DROP TABLE IF EXISTS `metering_dev`.`access_log_raw`',
        states: [{ State: 'CANCELLED', StateChangeReason: 'Query was cancelled' }],
      },
    ];
    await expect(create()).rejects.toThrow(/CANCELLED: Query was cancelled/);
    expect(started).toHaveLength(1);
  });

  test('a retryable failure runs the statement again', async () => {
    scripts = [
      {
        match: 'CREATE EXTERNAL TABLE `metering_dev`.`access_log_raw`',
        states: [
          { State: 'FAILED', StateChangeReason: 'internal error', AthenaError: { Retryable: true, ErrorCategory: 1 } },
        ],
      },
    ];
    await expect(create()).resolves.toMatchObject({ PhysicalResourceId: 'lake-setup:metering_dev' });
    expect(statements().filter((s) => s === 'CREATE EXTERNAL TABLE `metering_dev`.`access_log_raw`')).toHaveLength(2);
  });

  test('a query that falls back from RUNNING to QUEUED is polled until it succeeds', async () => {
    scripts = [
      {
        match: 'CREATE EXTERNAL TABLE `metering_dev`.`access_log_raw`',
        states: [
          { State: 'QUEUED' },
          { State: 'RUNNING' },
          { State: 'QUEUED' },
          { State: 'RUNNING' },
          { State: 'SUCCEEDED' },
        ],
      },
    ];
    await expect(create()).resolves.toBeDefined();
    expect(polls.get(started[1].id)).toBe(5);
    expect(started).toHaveLength(6);
  });

  test('throttled Athena calls are retried', async () => {
    const throttle = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    athenaMock
      .on(StartQueryExecutionCommand)
      .rejectsOnce(throttle())
      .callsFake((input) => {
        started.push({ id: `q${started.length + 1}`, sql: input.QueryString });
        return { QueryExecutionId: `q${started.length}` };
      });
    await expect(create()).resolves.toBeDefined();
    expect(athenaMock.commandCalls(StartQueryExecutionCommand)).toHaveLength(7);
    expect(sleep).toHaveBeenCalled();
  });
});

describe('Lake Formation outcomes', () => {
  test('concurrent modification is retried until the grants go through', async () => {
    lfMock
      .on(BatchGrantPermissionsCommand)
      .callsFakeOnce(({ Entries }) => ({
        Failures: [
          { RequestEntry: Entries[0], Error: { ErrorCode: 'ConcurrentModificationException', ErrorMessage: 'busy' } },
        ],
      }))
      .resolves({});
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: properties() }, clients)).resolves.toBeDefined();
    expect(lfMock.commandCalls(BatchGrantPermissionsCommand)).toHaveLength(2);
  });

  test('a real grant failure fails the resource with a bounded message', async () => {
    lfMock.on(BatchGrantPermissionsCommand).callsFake(({ Entries }) => ({
      Failures: Entries.map((e: unknown) => ({
        RequestEntry: e,
        Error: {
          ErrorCode: 'AccessDeniedException',
          ErrorMessage: 'Insufficient Lake Formation permission(s) '.repeat(20),
        },
      })),
    }));
    const error = await onEvent({ RequestType: 'Create', ResourceProperties: properties() }, clients).catch((e) => e);
    expect(error.message).toMatch(/^Lake Formation grant failed for 13 entries/);
    expect(error.message.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
  });
});
