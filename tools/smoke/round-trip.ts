import type { AthenaClient } from '@aws-sdk/client-athena';
import { hourOf } from '../../src/lake/hours';
import { fetchRows, runQuery } from '../../src/runtime/shared/athena';
import { type Backoff, nextDelay, type Sleep } from '../../src/runtime/shared/backoff';
import type { TempUserIdentity } from '../lib/temp-user';
import { roundTripSql } from './round-trip-sql';

export interface RoundTripOptions {
  readonly workgroup: string;
  readonly database: string;
  /** The stage's Firehose buffer interval: a record is in S3 at most this long after it arrived. */
  readonly bufferIntervalSeconds: number;
  /** Added to the buffer interval for S3 visibility, Athena queueing and clock skew. @default 120 */
  readonly marginSeconds?: number;
  /** The temporary user the requests were tagged with. */
  readonly user: TempUserIdentity;
  /** How many requests carrying the user's token reached the API (each has its own requestId). */
  readonly expected: number;
  /** Attempts that failed without a response: the API may or may not have served (and logged) them. @default 0 */
  readonly unconfirmed?: number;
  /** When the first and the last of those requests were sent (ms since the epoch). */
  readonly firstSentAt: number;
  readonly lastSentAt: number;
  /** @default first poll 5 s after the last request, then ×1.5 up to 15 s */
  readonly pollBackoff?: Backoff;
}

export interface RoundTripResult {
  readonly ok: boolean;
  readonly expected: number;
  /** Distinct requestIds of the user found in raw at the last poll. */
  readonly seen: number;
  /** Rows beyond one per requestId: Firehose's at-least-once duplicates. */
  readonly duplicates: number;
  /** Time from the last request to the poll that first found all of them. */
  readonly delayMs?: number;
  readonly polls: number;
  readonly detail: string;
}

export interface RoundTripDeps {
  readonly athena: AthenaClient;
  readonly now: () => number;
  readonly sleep: Sleep;
}

const DEFAULT_POLL: Backoff = { initialMs: 5_000, maxMs: 15_000, factor: 1.5, jitter: 0.1 };
/** Firehose names prefixes by arrival time; allow for a client clock that runs ahead of AWS. */
const CLOCK_SKEW_MS = 120_000;

/**
 * Polls the raw table until exactly the user's requests are there: as many
 * distinct requestIds as requests were sent. Fewer means not delivered yet
 * (poll on, with backoff, until buffer interval + margin); more means the lake
 * holds requests nobody sent, which fails at once. Duplicate rows of one
 * requestId are reported, not failed: raw is at-least-once by design and
 * metering dedups on requestId.
 */
export async function awaitRoundTrip(deps: RoundTripDeps, opts: RoundTripOptions): Promise<RoundTripResult> {
  const { athena, now, sleep } = deps;
  const poll = opts.pollBackoff ?? DEFAULT_POLL;
  const budgetMs = (opts.bufferIntervalSeconds + (opts.marginSeconds ?? 120)) * 1000;
  const deadline = opts.lastSentAt + budgetMs;
  const from = hourOf(new Date(opts.firstSentAt - CLOCK_SKEW_MS));
  let polls = 0;
  let seen = 0;
  let duplicates = 0;
  let interval = poll.initialMs;
  let wait = Math.max(0, opts.lastSentAt + interval - now());
  for (;;) {
    if (wait > 0) await sleep(wait);
    const pollAt = now();
    const to = hourOf(new Date(pollAt + CLOCK_SKEW_MS));
    const sql = roundTripSql({ database: opts.database }, opts.user, from, to);
    const outcome = await runQuery(athena, sql, {
      workGroup: opts.workgroup,
      timeoutMs: Math.max(30_000, deadline - pollAt),
      sleep,
      now,
    });
    const rows = await fetchRows(athena, outcome.queryExecutionId);
    polls++;
    seen = rows.length;
    duplicates = rows.reduce((n, r) => n + Math.max(0, Number(r.copies ?? '1') - 1), 0);
    const dupNote = duplicates > 0 ? ` (+${duplicates} duplicate row(s), deduplicated by requestId)` : '';
    const allowed = opts.expected + (opts.unconfirmed ?? 0);
    if (seen >= opts.expected && seen <= allowed) {
      const delayMs = pollAt - opts.lastSentAt;
      return {
        ok: true,
        expected: opts.expected,
        seen,
        duplicates,
        delayMs,
        polls,
        detail: `${seen}/${opts.expected} requests in raw after ${(delayMs / 1000).toFixed(0)} s${dupNote}`,
      };
    }
    if (seen > allowed) {
      return {
        ok: false,
        expected: opts.expected,
        seen,
        duplicates,
        polls,
        detail: `raw holds ${seen} distinct requests of ${opts.user.email}, but only ${allowed} were sent${dupNote}`,
      };
    }
    const remaining = deadline - now();
    if (remaining <= 0) {
      return {
        ok: false,
        expected: opts.expected,
        seen,
        duplicates,
        polls,
        detail: `only ${seen}/${opts.expected} requests in raw after ${((now() - opts.lastSentAt) / 1000).toFixed(0)} s (buffer interval ${opts.bufferIntervalSeconds} s + margin ${opts.marginSeconds ?? 120} s)${dupNote}`,
      };
    }
    interval = nextDelay(interval, poll);
    // The last poll lands on the deadline rather than past it.
    wait = Math.min(interval, remaining);
  }
}
