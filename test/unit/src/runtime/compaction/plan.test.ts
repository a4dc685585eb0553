import { formatHour, parseHour } from '../../../../../src/lake/hours';
import {
  closableHour,
  PayloadError,
  parseRequest,
  requestToken,
  runIdFor,
  scheduledHours,
} from '../../../../../src/runtime/compaction/plan';

const now = new Date('2026-11-30T06:20:00Z');

describe('which hour a scheduled run closes', () => {
  test.each([
    ['2026-11-30T06:20:00Z', 15, '2026-11-30T05'],
    ['2026-11-30T06:14:59Z', 15, '2026-11-30T04'],
    ['2026-11-30T06:15:00Z', 15, '2026-11-30T05'],
    ['2026-12-01T00:20:00Z', 15, '2026-11-30T23'],
    ['2027-01-01T00:20:00Z', 15, '2026-12-31T23'],
    ['2028-03-01T00:50:00Z', 45, '2028-02-29T23'],
  ])('at %s with a %i-minute lag: %s', (at, lag, hour) => {
    expect(formatHour(closableHour(new Date(at), lag))).toBe(hour);
  });

  test('the look-back starts at the oldest unclosed hour', async () => {
    const closed = new Set(['2026-11-30T03', '2026-11-30T05']);
    const hours = await scheduledHours(now, 15, 3, async (h) => closed.has(formatHour(h)));
    expect(hours.map(formatHour)).toEqual(['2026-11-30T04', '2026-11-30T05']);
  });
});

describe('payload', () => {
  test('a scheduled event, an empty object and a backfill range are understood', () => {
    expect(parseRequest({ source: 'aws.events', time: '2026-11-30T06:20:00Z' }, now)).toEqual({
      kind: 'scheduled',
      at: now,
    });
    expect(parseRequest({}, now)).toEqual({ kind: 'scheduled', at: now });
    expect(parseRequest({ from: '2026-11-30T00', to: '2026-11-30T23' }, now)).toEqual({
      kind: 'backfill',
      from: parseHour('2026-11-30T00'),
      to: parseHour('2026-11-30T23'),
    });
  });

  test.each([
    [{ from: '2026-11-30T00' }, 'to: missing; expected an hour as a string, e.g. "2026-11-30T00"'],
    [{ from: '2026-11-30', to: '2026-11-30T23' }, 'from: expected an hour as YYYY-MM-DDTHH'],
    [{ from: '2026-02-30T00', to: '2026-11-30T23' }, 'from: expected a real UTC hour'],
    [{ from: '2026-11-30T05', to: '2026-11-30T04' }, 'to: expected an hour at or after from (2026-11-30T05)'],
    [{ from: '2026-11-30T00', to: '2026-11-30T23', dryRun: true }, 'unknown field "dryRun"'],
    [
      { from: '2024-01-01T00', to: '2026-11-30T23' },
      'to: the range holds 25560 hours; expected at most 8784 per backfill',
    ],
    [[1, 2], 'expected a JSON object'],
  ])('%j is refused: %s', (event, message) => {
    expect(() => parseRequest(event, now)).toThrow(PayloadError);
    expect(() => parseRequest(event, now)).toThrow(message);
  });
});

describe('run ids and request tokens', () => {
  test('carry the hour and the invocation, within Athena token limits', () => {
    const runId = runIdFor(parseHour('2026-11-30T05'), '8d3c1c4e-1111-4222-8333-944445555666');
    expect(runId).toBe('2026113005-8d3c1c4e-1111-4222-8333-944445555666');
    for (const kind of ['insert', 'count'] as const) {
      const token = requestToken(runId, kind);
      expect(token.length).toBeGreaterThanOrEqual(32);
      expect(`${token}-r9`.length).toBeLessThanOrEqual(128);
    }
    expect(requestToken(runId, 'insert')).not.toBe(requestToken(runId, 'count'));
    expect(runIdFor(parseHour('2026-11-30T05'), 'x').length).toBeGreaterThanOrEqual(8);
    expect(requestToken(runIdFor(parseHour('2026-11-30T05'), 'x'), 'count')).toHaveLength(32);
  });
});
