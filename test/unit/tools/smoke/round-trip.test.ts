import { awaitRoundTrip, type RoundTripOptions } from '../../../../tools/smoke/round-trip';
import { fakeAthena } from '../lib/athena-fake';

const user = { email: 'metering-smoke-0123456789abcdef@example.com', sub: '0f8fad5b-d9cb-469f-a165-70867728950e' };
const T0 = Date.UTC(2026, 10, 30, 23, 59, 0);

/** A clock that only moves when the code under test sleeps (or polls Athena). */
function fakeClock() {
  const clock = { t: T0, sleeps: [] as number[] };
  return {
    clock,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
}

const rows = (...copies: number[]) => copies.map((c, i) => ({ request_id: `req-${i}`, copies: String(c) }));

function options(overrides: Partial<RoundTripOptions> = {}): RoundTripOptions {
  return {
    workgroup: 'metering-dev',
    database: 'metering_dev',
    bufferIntervalSeconds: 60,
    marginSeconds: 120,
    user,
    expected: 2,
    firstSentAt: T0 - 1000,
    lastSentAt: T0,
    pollBackoff: { initialMs: 5000, maxMs: 15000, factor: 1.5, jitter: 0 },
    ...overrides,
  };
}

describe('awaitRoundTrip', () => {
  test('polls with growing backoff until exactly the sent requests appear, and measures the delay', async () => {
    const athena = fakeAthena((_, n) => (n < 3 ? rows(...Array(n - 1).fill(1)) : rows(1, 1)));
    const { clock, now, sleep } = fakeClock();
    const result = await awaitRoundTrip({ athena: athena.client, now, sleep }, options());
    expect(result).toMatchObject({ ok: true, seen: 2, expected: 2, duplicates: 0, polls: 3 });
    expect(clock.sleeps).toEqual([5000, 7500, 11250]);
    expect(result.delayMs).toBe(5000 + 7500 + 11250);
    expect(result.detail).toBe('2/2 requests in raw after 24 s');
    expect(athena.started.every((s) => s.WorkGroup === 'metering-dev')).toBe(true);
  });

  test('the poll query spans the arrival hours from the first request to now (next hour included)', async () => {
    const athena = fakeAthena(() => rows(1, 1));
    const { now, sleep } = fakeClock();
    await awaitRoundTrip({ athena: athena.client, now, sleep }, options());
    const sql = athena.started[0].QueryString ?? '';
    expect(sql).toContain('month = 11 AND day = 30');
    expect(sql).toContain('month = 12 AND day = 1 AND hour = 0');
    expect(sql).toContain(user.sub);
  });

  test('duplicate deliveries of a request pass (raw is at-least-once) and are reported', async () => {
    const athena = fakeAthena(() => rows(2, 1));
    const { now, sleep } = fakeClock();
    const result = await awaitRoundTrip({ athena: athena.client, now, sleep }, options());
    expect(result).toMatchObject({ ok: true, seen: 2, duplicates: 1 });
    expect(result.detail).toContain('+1 duplicate row(s), deduplicated by requestId');
  });

  test('more distinct requests than were sent fails at once', async () => {
    const athena = fakeAthena(() => rows(1, 1, 1));
    const { now, sleep } = fakeClock();
    const result = await awaitRoundTrip({ athena: athena.client, now, sleep }, options());
    expect(result).toMatchObject({ ok: false, seen: 3, polls: 1 });
    expect(result.detail).toContain('raw holds 3 distinct requests');
  });

  test('an attempt that failed without a response may or may not be in raw', async () => {
    const athena = fakeAthena(() => rows(1, 1, 1));
    const { now, sleep } = fakeClock();
    const result = await awaitRoundTrip({ athena: athena.client, now, sleep }, options({ unconfirmed: 1 }));
    expect(result.ok).toBe(true);
  });

  test('gives up at buffer interval + margin, with a last poll at the deadline', async () => {
    const athena = fakeAthena(() => rows(1));
    const { clock, now, sleep } = fakeClock();
    const result = await awaitRoundTrip({ athena: athena.client, now, sleep }, options());
    expect(result.ok).toBe(false);
    expect(clock.t - T0).toBe(180_000);
    expect(result.detail).toBe('only 1/2 requests in raw after 180 s (buffer interval 60 s + margin 120 s)');
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(15_000);
  });
});
