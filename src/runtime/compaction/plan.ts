import { addHours, formatHour, type Hour, hourOf, hourStart, hoursBetween, parseHour } from '../../lake/hours';
import { assertRunId } from '../../lake/sql/compaction';

/**
 * What one invocation is asked to do, and the hours it closes, in order. Hours
 * are always closed oldest first, one hour per statement pair: hour H is
 * deduplicated against compacted H-1, so H-1 must be final before H is written.
 * Each INSERT therefore writes exactly one partition (the run's staging
 * partition), far below Athena's 100-partition limit whatever the range.
 */

/** Athena's limit on partitions written by one CTAS/INSERT statement. */
export const MAX_PARTITIONS_PER_STATEMENT = 100;
/** Partitions one compaction INSERT writes: the run's own staging partition. */
export const PARTITIONS_PER_STATEMENT = 1;
/** Longest backfill accepted in one request: a leap year, which catches a mistyped year. */
export const MAX_BACKFILL_HOURS = 366 * 24;

export type CompactionRequest =
  /** The hourly schedule: close the newest closable hour and any unclosed hour before it. */
  | { readonly kind: 'scheduled'; readonly at: Date }
  /** Re-close `from`..`to` (inclusive), whether or not they were closed before. */
  | { readonly kind: 'backfill'; readonly from: Hour; readonly to: Hour };

/** A payload the job cannot act on; the message names the field. */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

const HOUR_EXAMPLE = '"2026-11-30T00"';

/**
 * Reads the invocation payload: an EventBridge scheduled event, `{}` (a scheduled
 * run now), or a backfill `{"from": "YYYY-MM-DDTHH", "to": "YYYY-MM-DDTHH"}`.
 */
export function parseRequest(event: unknown, now: Date): CompactionRequest {
  if (event === null || event === undefined) return { kind: 'scheduled', at: now };
  if (typeof event !== 'object' || Array.isArray(event)) {
    throw new PayloadError(`expected a JSON object such as {"from": ${HOUR_EXAMPLE}, "to": ${HOUR_EXAMPLE}}`);
  }
  const e = event as Record<string, unknown>;
  if (e.source === 'aws.events') {
    const at = typeof e.time === 'string' ? new Date(e.time) : now;
    if (Number.isNaN(at.getTime()))
      throw new PayloadError(`time: expected an ISO timestamp, got ${JSON.stringify(e.time)}`);
    // A retried delivery of an old event must not close an hour that was not closable at `now`.
    return { kind: 'scheduled', at: at.getTime() > now.getTime() ? now : at };
  }
  const keys = Object.keys(e);
  if (keys.length === 0) return { kind: 'scheduled', at: now };
  for (const k of keys) {
    if (k !== 'from' && k !== 'to') {
      throw new PayloadError(`unknown field "${k}"; a backfill takes exactly "from" and "to"`);
    }
  }
  const from = hourField(e, 'from');
  const to = hourField(e, 'to');
  if (hourStart(from) > hourStart(to)) {
    throw new PayloadError(`to: expected an hour at or after from (${formatHour(from)}), got ${formatHour(to)}`);
  }
  const n = hoursBetween(from, to).length;
  if (n > MAX_BACKFILL_HOURS) {
    throw new PayloadError(`to: the range holds ${n} hours; expected at most ${MAX_BACKFILL_HOURS} per backfill`);
  }
  return { kind: 'backfill', from, to };
}

function hourField(e: Record<string, unknown>, field: 'from' | 'to'): Hour {
  const v = e[field];
  if (typeof v !== 'string') {
    throw new PayloadError(
      `${field}: ${v === undefined ? 'missing; ' : ''}expected an hour as a string, e.g. ${HOUR_EXAMPLE}`,
    );
  }
  try {
    return parseHour(v);
  } catch (err) {
    throw new PayloadError(`${field}: ${(err as Error).message}`);
  }
}

/** The newest hour whose arrival window ended at least `lagMinutes` before `at`. */
export function closableHour(at: Date, lagMinutes: number): Hour {
  return addHours(hourOf(new Date(at.getTime() - lagMinutes * 60_000)), -1);
}

/** Throws unless every hour up to `to` has ended more than `lagMinutes` ago: an open hour is never closed. */
export function assertClosable(to: Hour, at: Date, lagMinutes: number): void {
  const newest = closableHour(at, lagMinutes);
  if (hourStart(to) > hourStart(newest)) {
    throw new PayloadError(
      `to: ${formatHour(to)} is still open (its records may still arrive until ${lagMinutes} minutes after it ends); the newest closable hour is ${formatHour(newest)}`,
    );
  }
}

/**
 * The hours a scheduled run closes: from the oldest unclosed hour of the
 * look-back window to the newest closable hour, in order. Hours after an
 * unclosed one are re-closed too, because their deduplication ran against an
 * incomplete previous hour. `closed` answers whether an hour has a final manifest.
 */
export async function scheduledHours(
  at: Date,
  lagMinutes: number,
  lookbackHours: number,
  closed: (h: Hour) => Promise<boolean>,
): Promise<Hour[]> {
  const target = closableHour(at, lagMinutes);
  const window = hoursBetween(addHours(target, -(lookbackHours - 1)), target);
  for (const [i, h] of window.entries()) {
    if (!(await closed(h))) return window.slice(i);
  }
  return [];
}

/** Hours of a backfill, in the order they must be closed. */
export function backfillHours(from: Hour, to: Hour): Hour[] {
  return hoursBetween(from, to);
}

/**
 * Run id of one hour's close: the hour (so the staging and object names say
 * which hour they hold) and the invocation's request id. A retried delivery of
 * the same invocation gets the same id, so its statements reuse the first
 * attempt's executions through ClientRequestToken instead of running twice.
 */
export function runIdFor(hour: Hour, invocationId: string): string {
  const id = invocationId.replace(/[^0-9A-Za-z-]/g, '').slice(0, 80);
  return assertRunId(`${formatHour(hour).replace(/[^0-9]/g, '')}-${id}`);
}

/** ClientRequestToken of one statement of a run (Athena wants 32-128 characters). */
export function requestToken(runId: string, statement: 'insert' | 'count'): string {
  const token = `compaction-${runId}-${statement}`.padEnd(32, '0');
  if (token.length > 128) throw new Error(`request token too long: ${token}`);
  return token;
}
