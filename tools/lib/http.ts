import { type Backoff, defaultSleep, nextDelay, type Sleep } from '../../src/runtime/shared/backoff';

export type Fetch = typeof fetch;

/** A response with its body read, how many attempts it took and how long the last one took. */
export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  readonly attempts: number;
  readonly latencyMs: number;
}

/** Every attempt failed before a response arrived (connection refused, reset, timed out). */
export class HttpNetworkError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'HttpNetworkError';
  }
}

export interface HttpGetOptions {
  readonly headers?: Record<string, string>;
  /** Retries after the first attempt for 429, 5xx and network errors. @default 3 */
  readonly maxRetries?: number;
  /** @default 250 ms doubling to 2 s with 20 % jitter */
  readonly backoff?: Backoff;
  /** Abort one attempt after this long. @default 10 s */
  readonly attemptTimeoutMs?: number;
  /** No retry is started after this time (ms since the epoch): bounds the whole call. */
  readonly deadline?: number;
  readonly now?: () => number;
  readonly sleep?: Sleep;
}

export const DEFAULT_HTTP_BACKOFF: Backoff = { initialMs: 250, maxMs: 2000, factor: 2, jitter: 0.2 };

/** Whether a status is worth another try: throttling or a server-side failure. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * GET with a bounded number of retries for transient answers. After the last
 * attempt a transient status is returned (the caller reports it); a network
 * error is thrown as `HttpNetworkError`.
 */
export async function httpGet(fetchFn: Fetch, url: string, opts: HttpGetOptions = {}): Promise<HttpResult> {
  const maxRetries = opts.maxRetries ?? 3;
  const backoff = opts.backoff ?? DEFAULT_HTTP_BACKOFF;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  let delay = backoff.initialMs;
  for (let attempt = 1; ; attempt++) {
    const started = now();
    let result: HttpResult | undefined;
    let failure: Error | undefined;
    try {
      const res = await fetchFn(url, {
        method: 'GET',
        headers: opts.headers,
        signal: AbortSignal.timeout(opts.attemptTimeoutMs ?? 10_000),
      });
      const body = await res.text();
      result = { status: res.status, headers: res.headers, body, attempts: attempt, latencyMs: now() - started };
    } catch (e) {
      failure = e as Error;
    }
    const retryable = result ? isTransientStatus(result.status) : true;
    const outOfTime = opts.deadline !== undefined && now() + delay > opts.deadline;
    if (!retryable || attempt > maxRetries || outOfTime) {
      if (result) return result;
      const cause = (failure as { cause?: { code?: string; message?: string } })?.cause;
      const why = cause?.code ?? cause?.message ?? failure?.message ?? 'unknown error';
      throw new HttpNetworkError(`GET ${url} failed after ${attempt} attempt(s): ${why}`, attempt);
    }
    await sleep(delay);
    delay = nextDelay(delay, backoff);
  }
}
