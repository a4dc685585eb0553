import { type Fetch, HttpNetworkError, httpGet } from '../lib/http';
import { type PlannedRequest, requestUrl } from './mix';
import type { Outcome } from './stats';

export interface TrafficDeps {
  readonly fetch: Fetch;
  readonly now: () => number;
  /** Called after each request with the number of 5xx and network errors so far. */
  readonly onDone?: (failures: number) => void;
}

export interface TrafficOptions {
  readonly apiUrl: string;
  /** ID token sent in `Authorization`. */
  readonly token: string;
  readonly requests: readonly PlannedRequest[];
  /** At most this many requests in flight. */
  readonly concurrency: number;
  /** @default 10 s */
  readonly timeoutMs?: number;
}

/**
 * Sends every planned request with at most `concurrency` in flight. No
 * retries: the point is to see what the API answers, 429s and 5xx included.
 */
export async function runTraffic(deps: TrafficDeps, opts: TrafficOptions): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(opts.requests.length);
  let next = 0;
  let failures = 0;
  const worker = async () => {
    for (let i = next++; i < opts.requests.length; i = next++) {
      const planned = opts.requests[i];
      const started = deps.now();
      let status: Outcome['status'];
      try {
        const res = await httpGet(deps.fetch, requestUrl(opts.apiUrl, planned.params), {
          headers: { Authorization: opts.token },
          maxRetries: 0,
          attemptTimeoutMs: opts.timeoutMs ?? 10_000,
          now: deps.now,
        });
        status = res.status;
      } catch (e) {
        if (!(e instanceof HttpNetworkError)) throw e;
        status = 'error';
      }
      outcomes[i] = { status, latencyMs: deps.now() - started, expectedStatus: planned.expectedStatus };
      if (status === 'error' || status >= 500) failures++;
      deps.onDone?.(failures);
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency, opts.requests.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}
