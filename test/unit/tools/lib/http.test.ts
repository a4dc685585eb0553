import { HttpNetworkError, httpGet } from '../../../../tools/lib/http';

/** A fetch that answers with the given statuses in turn (a string means: fail with that network error). */
function scripted(answers: (number | string)[]) {
  const calls: string[] = [];
  const fetchFn = (async (url: string) => {
    calls.push(url);
    const next = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (typeof next === 'string') throw new TypeError('fetch failed', { cause: { code: next } });
    return new Response(JSON.stringify({ n: calls.length }), { status: next });
  }) as typeof fetch;
  return { fetchFn, calls };
}

const sleeps: number[] = [];
const sleep = async (ms: number) => {
  sleeps.push(ms);
};
const backoff = { initialMs: 100, maxMs: 400, factor: 2, jitter: 0 };

beforeEach(() => {
  sleeps.length = 0;
});

describe('httpGet', () => {
  test('retries 429 and 5xx, with growing backoff, until an answer is final', async () => {
    const { fetchFn, calls } = scripted([429, 503, 200]);
    const res = await httpGet(fetchFn, 'http://x/a', { sleep, backoff });
    expect(res).toMatchObject({ status: 200, attempts: 3, body: '{"n":3}' });
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
  });

  test('gives up after maxRetries and returns the last transient answer', async () => {
    const { fetchFn, calls } = scripted([500]);
    const res = await httpGet(fetchFn, 'http://x/a', { sleep, backoff, maxRetries: 2 });
    expect(res).toMatchObject({ status: 500, attempts: 3 });
    expect(calls).toHaveLength(3);
  });

  test.each([200, 400, 401, 403, 404])('does not retry %i', async (status) => {
    const { fetchFn, calls } = scripted([status, 200]);
    expect((await httpGet(fetchFn, 'http://x/a', { sleep, backoff })).status).toBe(status);
    expect(calls).toHaveLength(1);
  });

  test('network errors are retried, then reported with their cause', async () => {
    const { fetchFn, calls } = scripted(['ECONNREFUSED']);
    const call = httpGet(fetchFn, 'http://x/a', { sleep, backoff, maxRetries: 1 });
    await expect(call).rejects.toThrow(HttpNetworkError);
    await expect(httpGet(fetchFn, 'http://x/a', { sleep, backoff, maxRetries: 1 })).rejects.toThrow(
      'GET http://x/a failed after 2 attempt(s): ECONNREFUSED',
    );
    expect(calls).toHaveLength(4);
  });

  test('starts no retry that would end past the deadline', async () => {
    const { fetchFn, calls } = scripted([503, 200]);
    let t = 1000;
    const res = await httpGet(fetchFn, 'http://x/a', { sleep, backoff, now: () => t++, deadline: 1050 });
    expect(res.status).toBe(503);
    expect(calls).toHaveLength(1);
  });
});
