import { runCompaction } from '../../../../../src/runtime/compaction/run';
import { trinoErrors } from '../../../../helpers/sql';
import { balanced, closeEarlier, FakeLake, INVOCATION } from './fake-lake';

const H05 = 'year=2026/month=11/day=30/hour=05/';
const RUN_05 = `2026113005-${INVOCATION}`;
const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event', time: '2026-11-30T06:20:00Z' };

let lake: FakeLake;
beforeEach(() => {
  lake = new FakeLake();
});
afterEach(() => lake.restore());

describe('a normal scheduled hour', () => {
  test('closes the newest hour with two statements, into exactly the new Parquet files, and records it', async () => {
    closeEarlier(lake, 'year=2026/month=11/day=30/hour=03/', 'year=2026/month=11/day=30/hour=04/');
    lake.counts = balanced(1000, { within: 3, previous: 2 });

    const result = await runCompaction(lake.env({ at: '2026-11-30T06:20:00Z' }), SCHEDULED);

    expect(lake.started).toHaveLength(2);
    expect(lake.started.map((s) => s.token)).toEqual([`compaction-${RUN_05}-insert`, `compaction-${RUN_05}-count`]);
    for (const s of lake.started) expect(trinoErrors(s.sql)).toEqual([]);
    expect(lake.keys(`compacted/${H05}`)).toEqual([`compacted/${H05}${RUN_05}_q1_00000_parquet`]);
    expect(lake.keys('compaction-staging/')).toEqual([]);
    expect(result).toEqual({
      trigger: 'scheduled',
      closed: [
        expect.objectContaining({
          hour: '2026-11-30T05',
          runId: RUN_05,
          rowsIn: 1000,
          rowsWritten: 995,
          duplicatesDropped: 5,
          bytesScanned: 2_000_000,
          queryIds: { insert: 'q1', count: 'q2' },
          objects: 1,
        }),
      ],
    });
    const manifest = JSON.parse(lake.objects.get(`compaction-manifests/${H05}_manifest-${RUN_05}.json`) as string);
    expect(manifest).toMatchObject({
      hour: '2026-11-30T05',
      rowsIn: 1000,
      rowsWritten: 995,
      duplicatesDropped: 5,
      duplicatesWithinHour: 3,
      duplicatesPreviousHour: 2,
      bytesScanned: 2_000_000,
      queryIds: { insert: 'q1', count: 'q2', retried: [] },
      objects: [`compacted/${H05}${RUN_05}_q1_00000_parquet`],
    });
    expect(lake.keys(`compaction-manifests/${H05}_promoting-`)).toEqual([]);
    expect(lake.metrics).toEqual([
      { name: 'RowsIn', unit: 'Count', value: 1000 },
      { name: 'RowsWritten', unit: 'Count', value: 995 },
      { name: 'DuplicatesDropped', unit: 'Count', value: 5 },
      { name: 'RowsWithoutRequestId', unit: 'Count', value: 0 },
      { name: 'BytesScanned', unit: 'Bytes', value: 2_000_000 },
      { name: 'ClosedHourLagSeconds', unit: 'Seconds', value: 20 * 60 },
    ]);
  });

  test('a repeated delivery of an already closed hour starts nothing but still reports the lag', async () => {
    closeEarlier(lake, 'year=2026/month=11/day=30/hour=03/', 'year=2026/month=11/day=30/hour=04/', H05);
    const result = await runCompaction(lake.env({ at: '2026-11-30T06:25:00Z' }), SCHEDULED);
    expect(result.closed).toEqual([]);
    expect(lake.started).toEqual([]);
    expect(lake.metrics).toEqual([{ name: 'ClosedHourLagSeconds', unit: 'Seconds', value: 25 * 60 }]);
  });

  test('missed hours are caught up oldest first, and hours after a gap are re-closed', async () => {
    closeEarlier(lake, 'year=2026/month=11/day=30/hour=03/', H05);
    const result = await runCompaction(lake.env({ at: '2026-11-30T06:20:00Z' }), SCHEDULED);
    expect(result.closed.map((r) => r.hour)).toEqual(['2026-11-30T04', '2026-11-30T05']);
  });
});

describe('re-runs', () => {
  test('re-closing an hour replaces its objects: same rows once, never the old run next to the new one', async () => {
    lake.objects.set(`compacted/${H05}2026113005-earlier_q7_00000_parquet`, 'PAR1-old');
    closeEarlier(lake, H05);

    await runCompaction(lake.env({ at: '2026-11-30T08:00:00Z' }), { from: '2026-11-30T05', to: '2026-11-30T05' });

    expect(lake.keys(`compacted/${H05}`)).toEqual([`compacted/${H05}${RUN_05}_q1_00000_parquet`]);
    expect(lake.keys(`compaction-manifests/${H05}`)).toEqual([
      `compaction-manifests/${H05}_manifest-2026-earlier-run.json`,
      `compaction-manifests/${H05}_manifest-${RUN_05}.json`,
    ]);
    expect(lake.metrics.find((m) => m.name === 'ClosedHourLagSeconds')).toBeUndefined();
  });

  test('leftovers of a failed attempt (staging, partial files, promoting marker) reopen the hour and are cleared', async () => {
    closeEarlier(lake, 'year=2026/month=11/day=30/hour=03/', 'year=2026/month=11/day=30/hour=04/', H05);
    lake.objects.set(`compacted/${H05}2026113005-earlier_q7_00000_parquet`, 'PAR1-old');
    lake.objects.set(`compacted/${H05}2026113005-failed_q9_00000_parquet`, 'PAR1-partial');
    lake.objects.set('compaction-staging/run_id=2026113005-failed/q9_00001_parquet', 'PAR1-unpromoted');
    lake.objects.set(`compaction-manifests/${H05}_promoting-2026113005-failed.json`, '{}');

    const result = await runCompaction(lake.env({ at: '2026-11-30T06:20:00Z' }), SCHEDULED);

    expect(result.closed.map((r) => r.hour)).toEqual(['2026-11-30T05']);
    expect(lake.keys(`compacted/${H05}`)).toEqual([`compacted/${H05}${RUN_05}_q1_00000_parquet`]);
    expect(lake.keys('compaction-staging/')).toEqual([]);
    expect(lake.keys(`compaction-manifests/${H05}_promoting-`)).toEqual([]);
  });

  test('a retried delivery of an interrupted invocation reuses its executions and converges', async () => {
    closeEarlier(lake, 'year=2026/month=11/day=30/hour=03/', 'year=2026/month=11/day=30/hour=04/');
    lake.objects.set(`compacted/${H05}2026113005-earlier_q7_00000_parquet`, 'PAR1-old');
    lake.failStagingDelete = true;
    await expect(runCompaction(lake.env({ at: '2026-11-30T06:20:00Z' }), SCHEDULED)).rejects.toThrow(
      /closing 2026-11-30T05 failed .*could not delete|internal error/,
    );
    // Half promoted: the new file is in place, but staging is left and the hour stays open.
    expect(lake.keys(`compacted/${H05}`)).toHaveLength(1);
    expect(lake.keys(`compaction-manifests/${H05}_promoting-`)).toHaveLength(1);

    const result = await runCompaction(lake.env({ at: '2026-11-30T06:22:00Z' }), SCHEDULED);

    expect(lake.started).toHaveLength(2); // the same token returned the same executions: no second INSERT
    expect(result.closed).toEqual([
      expect.objectContaining({ hour: '2026-11-30T05', queryIds: { insert: 'q1', count: 'q2' } }),
    ]);
    expect(lake.keys(`compacted/${H05}`)).toEqual([`compacted/${H05}${RUN_05}_q1_00000_parquet`]);
    expect(lake.keys('compaction-staging/')).toEqual([]);
    expect(lake.keys(`compaction-manifests/${H05}_promoting-`)).toEqual([]);
  });
});

describe('failures', () => {
  beforeEach(() => {
    closeEarlier(lake, 'year=2026/month=11/day=30/hour=03/', 'year=2026/month=11/day=30/hour=04/');
    lake.objects.set(`compacted/${H05}2026113005-earlier_q7_00000_parquet`, 'PAR1-old');
  });

  const untouched = () => {
    expect(lake.keys(`compacted/${H05}`)).toEqual([`compacted/${H05}2026113005-earlier_q7_00000_parquet`]);
    expect(lake.keys(`compaction-manifests/${H05}`)).toEqual([]);
    expect(lake.metrics).toEqual([]);
  };

  test('a FAILED statement fails the run with Athena reason and leaves the hour as it was', async () => {
    lake.states.insert = ['RUNNING', 'FAILED'];
    lake.failure = { reason: 'HIVE_BAD_DATA: Error parsing field value', retryable: false };
    await expect(runCompaction(lake.env({ at: '2026-11-30T06:20:00Z' }), SCHEDULED)).rejects.toThrow(
      /closing 2026-11-30T05 failed \(no hour closed; later hours not attempted\): Athena query q1 FAILED: HIVE_BAD_DATA: Error parsing field value/,
    );
    untouched();
  });

  test('a CANCELLED statement fails the run with the reason', async () => {
    lake.states.count = ['RUNNING', 'CANCELLED'];
    lake.failure = { reason: 'Query cancelled: bytes scanned limit exceeded' };
    await expect(runCompaction(lake.env({ at: '2026-11-30T06:20:00Z' }), SCHEDULED)).rejects.toThrow(
      /Athena query q2 CANCELLED: Query cancelled: bytes scanned limit exceeded/,
    );
    untouched();
  });

  test('counts that do not balance fail the run and promote nothing', async () => {
    lake.counts = { ...balanced(1000, { within: 3, previous: 2 }), rows_written: 990, distinct_written: 990 };
    await expect(runCompaction(lake.env({ at: '2026-11-30T06:20:00Z' }), SCHEDULED)).rejects.toThrow(
      'rows in (1000) != rows written (990) + duplicates dropped (5 = 3 within the hour + 2 already in the previous hour)',
    );
    untouched();
  });

  test('throttled Athena calls are retried with backoff', async () => {
    lake.throttleStarts = 3;
    const result = await runCompaction(lake.env({ at: '2026-11-30T06:20:00Z' }), SCHEDULED);
    expect(result.closed.map((r) => r.hour)).toEqual(['2026-11-30T05']);
    expect(lake.sleeps).toHaveLength(3);
    expect(lake.started).toHaveLength(2);
  });

  test('a query that falls back from RUNNING to QUEUED is polled on until it succeeds', async () => {
    lake.states.insert = ['QUEUED', 'RUNNING', 'QUEUED', 'RUNNING', 'SUCCEEDED'];
    const result = await runCompaction(lake.env({ at: '2026-11-30T06:20:00Z' }), SCHEDULED);
    expect(result.closed).toHaveLength(1);
    expect(lake.keys(`compacted/${H05}`)).toEqual([`compacted/${H05}${RUN_05}_q1_00000_parquet`]);
  });
});

describe('backfill', () => {
  test('a range of more than 100 hours is closed hour by hour in order, each INSERT writing one partition', async () => {
    const result = await runCompaction(lake.env({ at: '2026-12-10T00:00:00Z' }), {
      from: '2026-11-24T00',
      to: '2026-11-30T05',
    });
    expect(result.closed).toHaveLength(150);
    expect(result.closed[0].hour).toBe('2026-11-24T00');
    expect(result.closed[149].hour).toBe('2026-11-30T05');
    const inserts = lake.inserts();
    expect(inserts).toHaveLength(150);
    for (const [i, q] of inserts.entries()) {
      expect(q.sql.match(/' AS run_id/g)).toHaveLength(1);
      expect(q.sql).toContain(`'${result.closed[i].runId}' AS run_id`);
      // One raw hour read, one compacted hour (the previous) for dedup.
      expect(q.sql.match(/WHERE \(year = \d+ AND month = \d+ AND day = \d+ AND hour = \d+\)/g)).toHaveLength(2);
    }
  });

  test('closing 2027-01-01T00 dedups against 2026-12-31T23 and writes under year=2027', async () => {
    const result = await runCompaction(lake.env({ at: '2027-01-01T02:00:00Z' }), {
      from: '2026-12-31T23',
      to: '2027-01-01T00',
    });
    expect(result.closed.map((r) => r.hour)).toEqual(['2026-12-31T23', '2027-01-01T00']);
    const newYear = lake.inserts()[1].sql;
    expect(newYear).toContain('WHERE (year = 2027 AND month = 1 AND day = 1 AND hour = 0)');
    expect(newYear).toContain(
      'WHERE (year = 2026 AND month = 12 AND day = 31 AND hour = 23) AND requestId IS NOT NULL',
    );
    expect(lake.keys('compacted/year=2027/month=01/day=01/hour=00/')).toHaveLength(1);
  });

  test('a scheduled run just after midnight UTC closes the last hour of the old year', async () => {
    closeEarlier(lake, 'year=2026/month=12/day=31/hour=21/', 'year=2026/month=12/day=31/hour=22/');
    const result = await runCompaction(lake.env({ at: '2027-01-01T00:20:00Z' }), {
      source: 'aws.events',
      time: '2027-01-01T00:20:00Z',
    });
    expect(result.closed.map((r) => r.hour)).toEqual(['2026-12-31T23']);
    expect(lake.inserts()[0].sql).toContain('WHERE (year = 2026 AND month = 12 AND day = 31 AND hour = 22) AND');
  });

  test('an hour that is still open is refused, naming the field', async () => {
    await expect(
      runCompaction(lake.env({ at: '2026-11-30T06:10:00Z' }), { from: '2026-11-30T04', to: '2026-11-30T05' }),
    ).rejects.toThrow('to: 2026-11-30T05 is still open');
    expect(lake.started).toEqual([]);
  });

  test('when time runs short the run stops between hours and returns what is left', async () => {
    let left = 10 * 60_000;
    const env = lake.env({ at: '2026-12-10T00:00:00Z', remainingMs: () => (left -= 4 * 60_000) });
    const result = await runCompaction(env, { from: '2026-11-30T00', to: '2026-11-30T05' });
    expect(result.closed.map((r) => r.hour)).toEqual(['2026-11-30T00']);
    expect(result.remaining).toEqual({ from: '2026-11-30T01', to: '2026-11-30T05' });
  });
});

test('rows without a request id are kept, counted and reported', async () => {
  closeEarlier(lake, 'year=2026/month=11/day=30/hour=03/', 'year=2026/month=11/day=30/hour=04/');
  lake.counts = {
    ...balanced(10),
    rows_without_request_id: 2,
    rows_written_without_request_id: 2,
    distinct_written: 8,
  };
  const result = await runCompaction(lake.env({ at: '2026-11-30T06:20:00Z' }), SCHEDULED);
  expect(result.closed[0]).toMatchObject({ rowsIn: 10, rowsWritten: 10, rowsWithoutRequestId: 2 });
  expect(lake.metrics).toContainEqual({ name: 'RowsWithoutRequestId', unit: 'Count', value: 2 });
  expect(lake.warnings).toEqual([expect.stringContaining('without a request id')]);
});
