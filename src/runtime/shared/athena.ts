import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { type Backoff, defaultSleep, isThrottling, nextDelay, type Sleep } from './backoff';

/** A query that ended FAILED or CANCELLED, or never finished in time. */
export class AthenaQueryError extends Error {
  constructor(
    message: string,
    readonly state: string,
    readonly queryExecutionId: string | undefined,
    readonly statement: string,
    /** Athena's own verdict (`AthenaError.Retryable`): whether running it again may succeed. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'AthenaQueryError';
  }
}

export interface RunQueryOptions {
  /** Workgroup that enforces output location, encryption and the bytes-scanned cutoff. */
  readonly workGroup: string;
  /** Default database for unqualified names. */
  readonly database?: string;
  /**
   * Makes the start idempotent: the same token returns the same execution
   * rather than running the statement twice. Retries of a retryable failure
   * append `-r<N>` so each retry is a new execution. 32-128 characters.
   */
  readonly clientRequestToken?: string;
  /** Polling backoff. @default first poll at once, then 100 ms doubling to 2 s */
  readonly poll?: Partial<Backoff>;
  /** Give up (and fail) after this long. @default 10 minutes */
  readonly timeoutMs?: number;
  /** How often a failure that Athena marks retryable is run again. @default 2 */
  readonly maxRetries?: number;
  /** How often a throttled API call is retried. @default 6 */
  readonly maxThrottleRetries?: number;
  /** Injected for tests; the real one is `setTimeout`. */
  readonly sleep?: Sleep;
  /** Injected for tests. @default Date.now */
  readonly now?: () => number;
}

export interface QueryOutcome {
  readonly queryExecutionId: string;
  readonly dataScannedInBytes: number;
  /** Execution ids of earlier attempts that failed with a retryable error. */
  readonly retriedExecutionIds: readonly string[];
  readonly execution: QueryExecution;
}

const DEFAULT_POLL: Backoff = { initialMs: 100, maxMs: 2000, factor: 2, jitter: 0.2 };

/**
 * Runs one statement to a terminal state. Polls GetQueryExecution with backoff
 * (never a fixed sleep); a query that falls back from RUNNING to QUEUED is
 * simply polled on; FAILED and CANCELLED throw with Athena's reason and the
 * statement; a FAILED query that Athena marks retryable is started again, up to
 * `maxRetries`; throttled API calls are retried up to `maxThrottleRetries`.
 */
export async function runQuery(client: AthenaClient, sql: string, opts: RunQueryOptions): Promise<QueryOutcome> {
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? Date.now;
  const poll = { ...DEFAULT_POLL, ...opts.poll };
  const deadline = now() + (opts.timeoutMs ?? 600_000);
  const maxRetries = opts.maxRetries ?? 2;
  const retried: string[] = [];

  for (let attempt = 0; ; attempt++) {
    const token = opts.clientRequestToken
      ? attempt === 0
        ? opts.clientRequestToken
        : `${opts.clientRequestToken}-r${attempt}`
      : undefined;
    const started = await throttled(opts, sleep, () =>
      client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          WorkGroup: opts.workGroup,
          ClientRequestToken: token,
          QueryExecutionContext: opts.database ? { Database: opts.database } : undefined,
        }),
      ),
    );
    const id = started.QueryExecutionId;
    if (!id) throw new AthenaQueryError('Athena returned no QueryExecutionId', 'UNKNOWN', undefined, sql, false);

    let delay = 0;
    for (;;) {
      if (delay > 0) await sleep(delay);
      const { QueryExecution: qe } = await throttled(opts, sleep, () =>
        client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
      );
      const state = qe?.Status?.State;
      if (state === 'SUCCEEDED') {
        return {
          queryExecutionId: id,
          dataScannedInBytes: qe?.Statistics?.DataScannedInBytes ?? 0,
          retriedExecutionIds: retried,
          execution: qe ?? {},
        };
      }
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = qe?.Status?.StateChangeReason ?? qe?.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
        const retryable = state === 'FAILED' && qe?.Status?.AthenaError?.Retryable === true;
        if (retryable && attempt < maxRetries) {
          retried.push(id);
          break;
        }
        throw new AthenaQueryError(
          `Athena query ${id} ${state}: ${reason}\nStatement:\n${sql}`,
          state,
          id,
          sql,
          retryable,
        );
      }
      if (now() >= deadline) {
        throw new AthenaQueryError(
          `Athena query ${id} still ${state ?? 'UNKNOWN'} after ${opts.timeoutMs ?? 600_000} ms\nStatement:\n${sql}`,
          state ?? 'UNKNOWN',
          id,
          sql,
          false,
        );
      }
      delay = delay === 0 ? poll.initialMs : nextDelay(delay, poll);
    }
  }
}

async function throttled<T>(opts: RunQueryOptions, sleep: Sleep, call: () => Promise<T>): Promise<T> {
  const max = opts.maxThrottleRetries ?? 6;
  let delay = 200;
  for (let i = 0; ; i++) {
    try {
      return await call();
    } catch (e) {
      if (!isThrottling(e) || i >= max) throw e;
      await sleep(delay);
      delay = nextDelay(delay, { initialMs: 200, maxMs: 5000, factor: 2, jitter: 0.5 });
    }
  }
}

/** A result row keyed by column name; Athena returns every value as a string (or absent for NULL). */
export type Row = Record<string, string | null>;

/** Reads every page of a SELECT's result set. The first row of the first page is the header. */
export async function fetchRows(client: AthenaClient, queryExecutionId: string): Promise<Row[]> {
  const rows: Row[] = [];
  let columns: string[] | undefined;
  let token: string | undefined;
  let first = true;
  do {
    const page = await client.send(
      new GetQueryResultsCommand({ QueryExecutionId: queryExecutionId, NextToken: token }),
    );
    columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
    const data = page.ResultSet?.Rows ?? [];
    for (const [i, r] of data.entries()) {
      if (first && i === 0) continue;
      const row: Row = {};
      (r.Data ?? []).forEach((d, j) => {
        row[columns?.[j] ?? `_${j}`] = d.VarCharValue ?? null;
      });
      rows.push(row);
    }
    first = false;
    token = page.NextToken;
  } while (token);
  return rows;
}
