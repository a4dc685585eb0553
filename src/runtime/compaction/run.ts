import type { AthenaClient } from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import { addHours, formatHour, type Hour, hourStart } from '../../lake/hours';
import {
  compactHourStatement,
  conservationProblems,
  countHourStatement,
  type HourCounts,
  parseCounts,
} from '../../lake/sql/compaction';
import type { LakeLocation } from '../../lake/tables';
import { fetchRows, runQuery } from '../shared/athena';
import type { Backoff, Sleep } from '../shared/backoff';
import { isClosed, markPromoting, writeManifest } from './manifest';
import { METRIC, type MetricName } from './metrics';
import { promote } from './objects';
import {
  assertClosable,
  backfillHours,
  type CompactionRequest,
  closableHour,
  parseRequest,
  requestToken,
  runIdFor,
  scheduledHours,
} from './plan';

/** The slice of Powertools Metrics the job uses (injected so tests can read what was emitted). */
export interface MetricsSink {
  addMetric(name: MetricName, unit: 'Count' | 'Bytes' | 'Seconds', value: number): void;
  /** Emits the metrics added so far (one EMF record per closed hour). */
  publishStoredMetrics(): void;
}

export interface RunLog {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

export interface CompactionEnv {
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  readonly lake: LakeLocation;
  readonly workGroup: string;
  readonly lagMinutes: number;
  /** How far back a scheduled run looks for unclosed hours. */
  readonly lookbackHours: number;
  /** Request id of the invocation: part of every run id, so a retried delivery reuses its executions. */
  readonly invocationId: string;
  readonly metrics: MetricsSink;
  readonly log?: RunLog;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: Sleep;
  /** Time left before the function is stopped. @default unlimited */
  readonly remainingMs?: () => number;
  /** Polling backoff of Athena statements. @default runQuery's */
  readonly poll?: Partial<Backoff>;
  /** Bound on one statement. @default 10 minutes, and never past the remaining time */
  readonly statementTimeoutMs?: number;
}

export interface HourResult {
  readonly hour: string;
  readonly runId: string;
  readonly rowsIn: number;
  readonly rowsWritten: number;
  readonly duplicatesDropped: number;
  readonly rowsWithoutRequestId: number;
  readonly bytesScanned: number;
  readonly queryIds: { readonly insert: string; readonly count: string };
  readonly objects: number;
  readonly manifestKey: string;
}

export interface RunResult {
  readonly trigger: CompactionRequest['kind'];
  /** Hours closed by this invocation, in order. */
  readonly closed: readonly HourResult[];
  /** Hours left for another invocation because time ran short (a backfill's caller re-sends these). */
  readonly remaining?: { readonly from: string; readonly to: string };
}

/** The counts did not balance: nothing was promoted, the hour keeps its previous objects. */
export class ConservationError extends Error {
  constructor(
    message: string,
    readonly counts: HourCounts,
  ) {
    super(message);
    this.name = 'ConservationError';
  }
}

/** Keep this much time in hand before starting another hour. */
const MIN_RESERVE_MS = 120_000;
/** Never let a statement run into the function's own timeout: stop it with a clear message first. */
const SAFETY_MS = 20_000;

/** Closes hour `hour`: stage, count, promote, record. Throws (promoting nothing) if any step fails. */
export async function closeHour(env: CompactionEnv, hour: Hour, trigger: RunResult['trigger']): Promise<HourResult> {
  const now = env.now ?? Date.now;
  const runId = runIdFor(hour, env.invocationId);
  const startedAt = new Date(now()).toISOString();
  const remaining = env.remainingMs ?? (() => Number.POSITIVE_INFINITY);
  const opts = (statement: 'insert' | 'count') => ({
    workGroup: env.workGroup,
    clientRequestToken: requestToken(runId, statement),
    sleep: env.sleep,
    now: env.now,
    poll: env.poll,
    timeoutMs: Math.max(1000, Math.min(env.statementTimeoutMs ?? 600_000, remaining() - SAFETY_MS)),
  });

  const insert = await runQuery(env.athena, compactHourStatement(env.lake, hour, runId), opts('insert'));
  const count = await runQuery(env.athena, countHourStatement(env.lake, hour, runId), opts('count'));
  const counts = parseCounts((await fetchRows(env.athena, count.queryExecutionId))[0]);
  const problems = conservationProblems(counts);
  if (problems.length > 0) {
    throw new ConservationError(
      `compaction of ${formatHour(hour)} (run ${runId}) does not balance, nothing was promoted: ${problems.join('; ')} (queries ${insert.queryExecutionId}, ${count.queryExecutionId})`,
      counts,
    );
  }

  await markPromoting(env.s3, env.lake.bucket, hour, runId, startedAt);
  const promoted = await promote(env.s3, env.lake.bucket, hour, runId);
  if (counts.rows_written > 0 && promoted.objects.length === 0) {
    throw new Error(
      `compaction of ${formatHour(hour)} (run ${runId}) counted ${counts.rows_written} staged rows but found no staged objects`,
    );
  }

  const duplicatesDropped = counts.duplicates_within + counts.duplicates_previous_hour;
  const bytesScanned = insert.dataScannedInBytes + count.dataScannedInBytes;
  const manifestKey = await writeManifest(env.s3, env.lake.bucket, hour, {
    hour: formatHour(hour),
    runId,
    trigger,
    startedAt,
    finishedAt: new Date(now()).toISOString(),
    rowsIn: counts.rows_in,
    rowsWritten: counts.rows_written,
    duplicatesDropped,
    duplicatesWithinHour: counts.duplicates_within,
    duplicatesPreviousHour: counts.duplicates_previous_hour,
    rowsWithoutRequestId: counts.rows_without_request_id,
    bytesScanned,
    queryIds: {
      insert: insert.queryExecutionId,
      count: count.queryExecutionId,
      retried: [...insert.retriedExecutionIds, ...count.retriedExecutionIds],
    },
    objects: promoted.objects,
    objectBytes: promoted.bytes,
    removedObjects: promoted.removedFromPartition,
  });

  const m = env.metrics;
  m.addMetric(METRIC.rowsIn, 'Count', counts.rows_in);
  m.addMetric(METRIC.rowsWritten, 'Count', counts.rows_written);
  m.addMetric(METRIC.duplicatesDropped, 'Count', duplicatesDropped);
  m.addMetric(METRIC.rowsWithoutRequestId, 'Count', counts.rows_without_request_id);
  m.addMetric(METRIC.bytesScanned, 'Bytes', bytesScanned);
  if (trigger === 'scheduled') m.addMetric(METRIC.closedHourLag, 'Seconds', lagSeconds(hour, now()));
  m.publishStoredMetrics();

  const result: HourResult = {
    hour: formatHour(hour),
    runId,
    rowsIn: counts.rows_in,
    rowsWritten: counts.rows_written,
    duplicatesDropped,
    rowsWithoutRequestId: counts.rows_without_request_id,
    bytesScanned,
    queryIds: { insert: insert.queryExecutionId, count: count.queryExecutionId },
    objects: promoted.objects.length,
    manifestKey,
  };
  env.log?.info('hour closed', { ...result, removedObjects: promoted.removedFromPartition });
  if (counts.rows_without_request_id > 0) {
    env.log?.warn('rows without a request id were kept but cannot be deduplicated or billed', {
      hour: result.hour,
      rows: counts.rows_without_request_id,
    });
  }
  return result;
}

function lagSeconds(hour: Hour, now: number): number {
  return Math.round((now - hourStart(addHours(hour, 1)).getTime()) / 1000);
}

/** One invocation: parse the payload, pick the hours, close them in order. */
export async function runCompaction(env: CompactionEnv, event: unknown): Promise<RunResult> {
  const now = env.now ?? Date.now;
  const at = new Date(now());
  const request = parseRequest(event, at);
  let hours: Hour[];
  if (request.kind === 'backfill') {
    assertClosable(request.to, at, env.lagMinutes);
    hours = backfillHours(request.from, request.to);
  } else {
    hours = await scheduledHours(request.at, env.lagMinutes, env.lookbackHours, (h) =>
      isClosed(env.s3, env.lake.bucket, h),
    );
    if (hours.length > 1) {
      env.log?.warn('catching up unclosed hours', { from: formatHour(hours[0]), hours: hours.length });
    }
    if (hours.length === 0) {
      // Already closed (a repeated delivery): still report the lag, so the unclosed-hour alarm sees the job alive.
      env.metrics.addMetric(
        METRIC.closedHourLag,
        'Seconds',
        lagSeconds(closableHour(request.at, env.lagMinutes), now()),
      );
      env.metrics.publishStoredMetrics();
    }
  }

  const remaining = env.remainingMs ?? (() => Number.POSITIVE_INFINITY);
  const closed: HourResult[] = [];
  let slowest = 0;
  for (const [i, hour] of hours.entries()) {
    if (i > 0 && remaining() < Math.max(MIN_RESERVE_MS, 2 * slowest)) {
      const rest = { from: formatHour(hour), to: formatHour(hours[hours.length - 1]) };
      env.log?.warn('stopping before the function times out; hours left', rest);
      return { trigger: request.kind, closed, remaining: rest };
    }
    const t0 = now();
    try {
      closed.push(await closeHour(env, hour, request.kind));
    } catch (e) {
      const done = closed.length > 0 ? `${closed[0].hour}..${closed[closed.length - 1].hour} closed` : 'no hour closed';
      const err = e as Error;
      err.message = `closing ${formatHour(hour)} failed (${done}; later hours not attempted): ${err.message}`;
      throw err;
    }
    slowest = Math.max(slowest, now() - t0);
  }
  return { trigger: request.kind, closed };
}
