/** Exponential backoff shared by every poller and retrier in the runtime code. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  /** Fraction of the delay randomised either way, so parallel callers do not retry in step. */
  readonly jitter: number;
}

export type Sleep = (ms: number) => Promise<void>;

export const defaultSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function nextDelay(current: number, b: Backoff): number {
  const base = Math.min(b.maxMs, current * b.factor);
  const spread = base * b.jitter;
  return Math.max(1, Math.round(base - spread + Math.random() * 2 * spread));
}

const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'Throttling',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

/** Whether an AWS SDK error means "slow down and try again". */
export function isThrottling(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return (
    THROTTLING.has(err?.name ?? '') || err?.$retryable?.throttling === true || err?.$metadata?.httpStatusCode === 429
  );
}

/**
 * Retries `call` while `shouldRetry(error)` holds, at most `maxRetries` times,
 * with jittered exponential backoff.
 */
export async function retrying<T>(
  call: () => Promise<T>,
  shouldRetry: (e: unknown) => boolean,
  opts: { maxRetries: number; backoff: Backoff; sleep?: Sleep },
): Promise<T> {
  const sleep = opts.sleep ?? defaultSleep;
  let delay = opts.backoff.initialMs;
  for (let i = 0; ; i++) {
    try {
      return await call();
    } catch (e) {
      if (!shouldRetry(e) || i >= opts.maxRetries) throw e;
      await sleep(delay);
      delay = nextDelay(delay, opts.backoff);
    }
  }
}
