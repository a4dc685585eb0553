import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { formatHour, type Hour, hoursBetween } from '../../src/lake/hours';
import type { HourResult, RunResult } from '../../src/runtime/compaction/run';
import { type Backoff, isThrottling, retrying, type Sleep } from '../../src/runtime/shared/backoff';

/**
 * The client side of `npm run compact`: sends a backfill range to the deployed
 * job in slices a synchronous invoke can finish within the function's timeout,
 * in order (hour H is deduplicated against H-1), and re-sends whatever a slice
 * reports as left over. Stops at the first failure: later hours depend on it.
 */

/** Hours per invocation: about 20 s per hour on a small stage leaves ample room in 15 minutes. */
export const DEFAULT_HOURS_PER_INVOCATION = 24;

export interface Range {
  readonly from: string;
  readonly to: string;
}

/** `from`..`to` as consecutive slices of at most `size` hours, oldest first. */
export function invocationRanges(from: Hour, to: Hour, size: number): Range[] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`slice size must be a positive integer, got ${size}`);
  const hours = hoursBetween(from, to);
  const out: Range[] = [];
  for (let i = 0; i < hours.length; i += size) {
    const slice = hours.slice(i, i + size);
    out.push({ from: formatHour(slice[0]), to: formatHour(slice[slice.length - 1]) });
  }
  return out;
}

export interface BackfillOptions {
  readonly hoursPerInvocation: number;
  /** Prints one line per closed hour as results come back. */
  readonly print: (line: string) => void;
  /** Waits between retries of a throttled invoke (the scheduled run holds the single concurrency slot). */
  readonly sleep?: Sleep;
  readonly throttleBackoff?: Backoff;
  readonly maxThrottleRetries?: number;
}

export interface BackfillOutcome {
  readonly ok: boolean;
  readonly closed: readonly HourResult[];
  /** The job's error message when a slice failed. */
  readonly error?: string;
}

const THROTTLE_BACKOFF: Backoff = { initialMs: 5000, maxMs: 60_000, factor: 2, jitter: 0.2 };

export function formatResult(r: HourResult): string {
  const mb = (r.bytesScanned / 1e6).toFixed(1);
  return `${r.hour}  rows in ${r.rowsIn}  written ${r.rowsWritten}  duplicates dropped ${r.duplicatesDropped}  without request id ${r.rowsWithoutRequestId}  scanned ${mb} MB  objects ${r.objects}  run ${r.runId}`;
}

export async function runBackfill(
  lambda: Pick<LambdaClient, 'send'>,
  functionName: string,
  from: Hour,
  to: Hour,
  opts: BackfillOptions,
): Promise<BackfillOutcome> {
  const queue = invocationRanges(from, to, opts.hoursPerInvocation);
  const closed: HourResult[] = [];
  while (queue.length > 0) {
    const range = queue.shift() as Range;
    const res = await retrying(
      () =>
        lambda.send(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: 'RequestResponse',
            Payload: new TextEncoder().encode(JSON.stringify(range)),
          }),
        ),
      isThrottling,
      {
        maxRetries: opts.maxThrottleRetries ?? 8,
        backoff: opts.throttleBackoff ?? THROTTLE_BACKOFF,
        sleep: opts.sleep,
      },
    );
    const text = res.Payload ? new TextDecoder().decode(res.Payload) : '';
    if (res.FunctionError) {
      let message = text;
      try {
        const err = JSON.parse(text) as { errorType?: string; errorMessage?: string };
        message = `${err.errorType ?? res.FunctionError}: ${err.errorMessage ?? text}`;
      } catch {
        // Not JSON (e.g. the runtime was killed): print it as it came.
      }
      return { ok: false, closed, error: `${range.from}..${range.to}: ${message}` };
    }
    let result: RunResult;
    try {
      result = JSON.parse(text) as RunResult;
    } catch {
      return {
        ok: false,
        closed,
        error: `${range.from}..${range.to}: the job returned no result: ${text.slice(0, 500)}`,
      };
    }
    for (const r of result.closed ?? []) {
      closed.push(r);
      opts.print(formatResult(r));
    }
    if (result.remaining) queue.unshift(result.remaining);
  }
  return { ok: true, closed };
}
