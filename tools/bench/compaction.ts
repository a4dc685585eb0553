import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { COUNT_COLUMNS } from '../../src/lake/sql/compaction';
import { type MetricsSink, runCompaction } from '../../src/runtime/compaction/run';

/** runQuery's first backoff step: the bound the issue sets on the time from SUCCEEDED to return. */
const POLL_INTERVAL_MS = 100;

/**
 * A scheduled run of one normal hour against Athena and S3 mocks that answer at
 * once (real sleep, real clock: nothing is waited for because nothing is slow).
 * Counts the Athena statements started and measures the time from the last
 * SUCCEEDED answer to the run's return.
 */
export async function benchNormalHour(): Promise<{
  statements: number;
  msAfterSucceeded: number;
  pollIntervalMs: number;
}> {
  const athena = mockClient(AthenaClient);
  const s3 = mockClient(S3Client);
  let started = 0;
  let succeededAt = 0;
  const at = Date.UTC(2026, 10, 30, 6, 20);
  // Every hour of the look-back window but the newest closable one (05) is closed: a normal hourly run.
  const isNewest = (prefix: string) => prefix.endsWith('year=2026/month=11/day=30/hour=05/');
  try {
    athena.on(StartQueryExecutionCommand).callsFake(async () => ({ QueryExecutionId: `q-${++started}` }));
    athena.on(GetQueryExecutionCommand).callsFake(async () => {
      succeededAt = performance.now();
      return { QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 10_485_760 } } };
    });
    const counts = { rows_in: 1000, rows_without_request_id: 0, duplicates_within: 3, duplicates_previous_hour: 2 };
    const written = { rows_written: 995, rows_written_without_request_id: 0, distinct_written: 995 };
    const values: Record<string, number> = { ...counts, ...written };
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: COUNT_COLUMNS.map((Name) => ({ Name, Type: 'bigint' })) },
        Rows: [
          { Data: COUNT_COLUMNS.map((c) => ({ VarCharValue: c })) },
          { Data: COUNT_COLUMNS.map((c) => ({ VarCharValue: String(values[c]) })) },
        ],
      },
    });
    s3.on(ListObjectsV2Command).callsFake(async (input: { Prefix?: string }) => {
      if (input.Prefix?.startsWith('compaction-manifests/')) {
        return input.Prefix.includes('hour=') && !isNewest(input.Prefix)
          ? { Contents: [{ Key: `${input.Prefix}_manifest-x.json` }] }
          : {};
      }
      if (input.Prefix?.startsWith('compaction-staging/run_id=')) {
        return { Contents: [{ Key: `${input.Prefix}20261130_052000_00001_abcde_0.parquet`, Size: 1_000_000 }] };
      }
      return {};
    });
    s3.on(CopyObjectCommand).resolves({});
    s3.on(DeleteObjectsCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});

    const metrics: MetricsSink = { addMetric: () => undefined, publishStoredMetrics: () => undefined };
    const result = await runCompaction(
      {
        athena: new AthenaClient({ region: 'eu-west-1' }),
        s3: new S3Client({ region: 'eu-west-1' }),
        lake: { database: 'metering_dev', bucket: 'lake-bucket' },
        workGroup: 'metering-dev',
        lagMinutes: 15,
        lookbackHours: 24,
        invocationId: '8d3c1c4e-1111-4222-8333-944445555666',
        metrics,
        now: () => at,
      },
      { source: 'aws.events', time: new Date(at).toISOString() },
    );
    const returnedAt = performance.now();
    if (result.closed.length !== 1) throw new Error(`bench: expected one hour closed, got ${result.closed.length}`);
    return { statements: started, msAfterSucceeded: returnedAt - succeededAt, pollIntervalMs: POLL_INTERVAL_MS };
  } finally {
    athena.restore();
    s3.restore();
  }
}
