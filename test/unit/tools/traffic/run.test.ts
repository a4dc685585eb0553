import type { PlannedRequest } from '../../../../tools/traffic/mix';
import { runTraffic } from '../../../../tools/traffic/run';

const valid: PlannedRequest = { params: { len: '3' }, expectedStatus: 200, kind: 'valid' };

describe('runTraffic', () => {
  test('never has more than `concurrency` requests in flight, and sends every one', async () => {
    let inFlight = 0;
    let peak = 0;
    let sent = 0;
    const fetchFn = (async () => {
      inFlight++;
      sent++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return new Response('[]', { status: 200 });
    }) as typeof fetch;
    const outcomes = await runTraffic(
      { fetch: fetchFn, now: () => 0 },
      { apiUrl: 'https://h/dev/', token: 't', requests: Array(50).fill(valid), concurrency: 4 },
    );
    expect(outcomes).toHaveLength(50);
    expect(sent).toBe(50);
    expect(peak).toBe(4);
  });

  test('records each status without retrying, and network failures as errors', async () => {
    const answers = [200, 503, 'down', 429];
    let i = 0;
    const fetchFn = (async () => {
      const a = answers[i++];
      if (a === 'down') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return new Response('{}', { status: a as number });
    }) as typeof fetch;
    const failures: number[] = [];
    const outcomes = await runTraffic(
      { fetch: fetchFn, now: () => 0, onDone: (f) => failures.push(f) },
      { apiUrl: 'https://h/dev/', token: 't', requests: Array(4).fill(valid), concurrency: 1 },
    );
    expect(outcomes.map((o) => o.status)).toEqual([200, 503, 'error', 429]);
    expect(failures).toEqual([0, 1, 2, 2]);
  });
});
