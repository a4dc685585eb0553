import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecutionState,
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
import { COUNT_COLUMNS, type HourCounts } from '../../../../../src/lake/sql/compaction';
import type { CompactionEnv, MetricsSink } from '../../../../../src/runtime/compaction/run';

export const BUCKET = 'metering-dev-lake';
export const INVOCATION = '8d3c1c4e-1111-4222-8333-944445555666';

export interface Started {
  readonly id: string;
  readonly sql: string;
  readonly token?: string;
}

/**
 * Athena and S3 mocks over an in-memory bucket. A SUCCEEDED INSERT writes one
 * Parquet file into its run's staging prefix, as Athena does; the count
 * statement answers with `counts` (balanced for `rowsIn` rows by default).
 */
export class FakeLake {
  readonly athena = mockClient(AthenaClient);
  readonly s3 = mockClient(S3Client);
  readonly objects = new Map<string, string>();
  readonly started: Started[] = [];
  readonly metrics: { name: string; unit: string; value: number }[] = [];
  readonly warnings: string[] = [];
  readonly sleeps: number[] = [];
  /** States GetQueryExecution walks through for each execution, per statement kind. */
  states: Record<'insert' | 'count', QueryExecutionState[]> = { insert: ['SUCCEEDED'], count: ['SUCCEEDED'] };
  failure: { reason: string; retryable?: boolean } = { reason: 'no reason' };
  counts: HourCounts = balanced(10);
  /** Rejects this many StartQueryExecution calls with ThrottlingException first. */
  throttleStarts = 0;
  /** Fails the next DeleteObjects on staging keys (an interrupted promote). */
  failStagingDelete = false;
  private readonly byToken = new Map<string, string>();
  private readonly polls = new Map<string, number>();

  constructor() {
    this.athena.on(StartQueryExecutionCommand).callsFake(async (input) => {
      if (this.throttleStarts > 0) {
        this.throttleStarts--;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      const token = input.ClientRequestToken as string | undefined;
      const known = token ? this.byToken.get(token) : undefined;
      if (known) return { QueryExecutionId: known };
      const id = `q${this.started.length + 1}`;
      this.started.push({ id, sql: input.QueryString as string, token });
      if (token) this.byToken.set(token, id);
      return { QueryExecutionId: id };
    });
    this.athena.on(GetQueryExecutionCommand).callsFake(async (input) => {
      const id = input.QueryExecutionId as string;
      const q = this.started.find((s) => s.id === id) as Started;
      const script = q.sql.startsWith('INSERT') ? this.states.insert : this.states.count;
      const n = this.polls.get(id) ?? 0;
      this.polls.set(id, n + 1);
      const state = script[Math.min(n, script.length - 1)];
      if (state === 'SUCCEEDED' && n === script.length - 1 && q.sql.startsWith('INSERT')) this.athenaWrites(q);
      return {
        QueryExecution: {
          QueryExecutionId: id,
          Status: {
            State: state,
            StateChangeReason: state === 'FAILED' || state === 'CANCELLED' ? this.failure.reason : undefined,
            AthenaError: state === 'FAILED' ? { Retryable: this.failure.retryable ?? false } : undefined,
          },
          Statistics: { DataScannedInBytes: 1_000_000 },
        },
      };
    });
    this.athena.on(GetQueryResultsCommand).callsFake(async () => ({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: COUNT_COLUMNS.map((Name) => ({ Name, Type: 'bigint' })) },
        Rows: [
          { Data: COUNT_COLUMNS.map((c) => ({ VarCharValue: c })) },
          { Data: COUNT_COLUMNS.map((c) => ({ VarCharValue: String(this.counts[c]) })) },
        ],
      },
    }));

    this.s3.on(ListObjectsV2Command).callsFake(async (input) => ({
      Contents: this.keys(input.Prefix ?? '').map((Key) => ({ Key, Size: (this.objects.get(Key) ?? '').length })),
      IsTruncated: false,
    }));
    this.s3.on(CopyObjectCommand).callsFake(async (input) => {
      const source = decodeURIComponent((input.CopySource as string).slice(BUCKET.length + 1));
      const body = this.objects.get(source);
      if (body === undefined) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
      this.objects.set(input.Key as string, body);
      return {};
    });
    this.s3.on(DeleteObjectsCommand).callsFake(async (input) => {
      const keys = (input.Delete?.Objects ?? []).map((o: { Key?: string }) => o.Key as string);
      if (this.failStagingDelete && keys.some((k: string) => k.startsWith('compaction-staging/'))) {
        this.failStagingDelete = false;
        throw Object.assign(new Error('We encountered an internal error'), { name: 'InternalError' });
      }
      for (const k of keys) this.objects.delete(k);
      return {};
    });
    this.s3.on(DeleteObjectCommand).callsFake(async (input) => {
      this.objects.delete(input.Key as string);
      return {};
    });
    this.s3.on(PutObjectCommand).callsFake(async (input) => {
      this.objects.set(input.Key as string, String(input.Body));
      return {};
    });
  }

  /** Keys under `prefix`, sorted. */
  keys(prefix: string): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  inserts(): Started[] {
    return this.started.filter((s) => s.sql.startsWith('INSERT'));
  }

  env(overrides: Partial<CompactionEnv> & { at: string }): CompactionEnv {
    const metrics: MetricsSink = {
      addMetric: (name, unit, value) => this.metrics.push({ name, unit, value }),
      publishStoredMetrics: () => undefined,
    };
    const { at, ...rest } = overrides;
    return {
      athena: new AthenaClient({ region: 'eu-west-1' }),
      s3: new S3Client({ region: 'eu-west-1' }),
      lake: { database: 'metering_dev', bucket: BUCKET },
      workGroup: 'metering-dev',
      lagMinutes: 15,
      lookbackHours: 3,
      invocationId: INVOCATION,
      metrics,
      log: { info: () => undefined, warn: (m) => this.warnings.push(m) },
      now: () => Date.parse(at),
      sleep: async (ms) => {
        this.sleeps.push(ms);
      },
      ...rest,
    };
  }

  restore(): void {
    this.athena.restore();
    this.s3.restore();
  }

  private athenaWrites(q: Started): void {
    const runId = /'([0-9A-Za-z-]+)' AS run_id/.exec(q.sql)?.[1];
    this.objects.set(`compaction-staging/run_id=${runId}/${q.id}_00000_parquet`, 'PAR1-new');
  }
}

/** Counts of an hour of `rowsIn` rows with no duplicates. */
export function balanced(rowsIn: number, dropped = { within: 0, previous: 0 }): HourCounts {
  const written = rowsIn - dropped.within - dropped.previous;
  return {
    rows_in: rowsIn,
    rows_without_request_id: 0,
    duplicates_within: dropped.within,
    duplicates_previous_hour: dropped.previous,
    rows_written: written,
    rows_written_without_request_id: 0,
    distinct_written: written,
  };
}

/** Marks hours closed, as an earlier successful run would have. */
export function closeEarlier(lake: FakeLake, ...partitions: string[]): void {
  for (const p of partitions) lake.objects.set(`compaction-manifests/${p}_manifest-2026-earlier-run.json`, '{}');
}
