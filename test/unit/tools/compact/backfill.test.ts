import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { parseHour } from '../../../../src/lake/hours';
import type { HourResult } from '../../../../src/runtime/compaction/run';
import { invocationRanges, runBackfill } from '../../../../tools/compact/backfill';

const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

const hour = (h: string): HourResult => ({
  hour: h,
  runId: `${h.replace(/\D/g, '')}-req`,
  rowsIn: 10,
  rowsWritten: 9,
  duplicatesDropped: 1,
  rowsWithoutRequestId: 0,
  bytesScanned: 20_000_000,
  queryIds: { insert: 'a', count: 'b' },
  objects: 1,
  manifestKey: 'm',
});
// The SDK types Payload as its blob adapter; the client only ever reads it as bytes.
const payload = (o: unknown) => new TextEncoder().encode(JSON.stringify(o)) as InvokeCommandOutput['Payload'];
const sent = () =>
  lambda
    .commandCalls(InvokeCommand)
    .map((c) => JSON.parse(new TextDecoder().decode(c.args[0].input.Payload as Uint8Array)));

test('a long range is sliced oldest first, across a month boundary', () => {
  expect(invocationRanges(parseHour('2026-11-30T20'), parseHour('2026-12-01T03'), 3)).toEqual([
    { from: '2026-11-30T20', to: '2026-11-30T22' },
    { from: '2026-11-30T23', to: '2026-12-01T01' },
    { from: '2026-12-01T02', to: '2026-12-01T03' },
  ]);
});

test('each slice is invoked synchronously in order, a reported remainder is re-sent first, results are printed', async () => {
  lambda
    .on(InvokeCommand)
    .resolvesOnce({
      Payload: payload({
        trigger: 'backfill',
        closed: [hour('2026-11-30T00')],
        remaining: { from: '2026-11-30T01', to: '2026-11-30T01' },
      }),
    })
    .resolvesOnce({ Payload: payload({ trigger: 'backfill', closed: [hour('2026-11-30T01')] }) })
    .resolvesOnce({ Payload: payload({ trigger: 'backfill', closed: [hour('2026-11-30T02')] }) });
  const lines: string[] = [];
  const outcome = await runBackfill(
    lambda as unknown as LambdaClient,
    'fn',
    parseHour('2026-11-30T00'),
    parseHour('2026-11-30T02'),
    {
      hoursPerInvocation: 2,
      print: (l) => lines.push(l),
    },
  );
  expect(outcome.ok).toBe(true);
  expect(sent()).toEqual([
    { from: '2026-11-30T00', to: '2026-11-30T01' },
    { from: '2026-11-30T01', to: '2026-11-30T01' },
    { from: '2026-11-30T02', to: '2026-11-30T02' },
  ]);
  expect(lambda.commandCalls(InvokeCommand)[0].args[0].input).toMatchObject({
    FunctionName: 'fn',
    InvocationType: 'RequestResponse',
  });
  expect(lines[0]).toBe(
    '2026-11-30T00  rows in 10  written 9  duplicates dropped 1  without request id 0  scanned 20.0 MB  objects 1  run 2026113000-req',
  );
});

test('a function error stops the backfill and carries the job message', async () => {
  lambda.on(InvokeCommand).resolves({
    FunctionError: 'Unhandled',
    Payload: payload({
      errorType: 'AthenaQueryError',
      errorMessage: 'closing 2026-11-30T00 failed: FAILED: HIVE_BAD_DATA',
    }),
  });
  const outcome = await runBackfill(
    lambda as unknown as LambdaClient,
    'fn',
    parseHour('2026-11-30T00'),
    parseHour('2026-11-30T05'),
    {
      hoursPerInvocation: 2,
      print: () => undefined,
    },
  );
  expect(outcome).toEqual({
    ok: false,
    closed: [],
    error: '2026-11-30T00..2026-11-30T01: AthenaQueryError: closing 2026-11-30T00 failed: FAILED: HIVE_BAD_DATA',
  });
  expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
});

test('an invoke throttled while the scheduled run holds the single slot is retried', async () => {
  const throttled = Object.assign(new Error('Rate Exceeded.'), { name: 'TooManyRequestsException' });
  lambda
    .on(InvokeCommand)
    .rejectsOnce(throttled)
    .resolves({ Payload: payload({ trigger: 'backfill', closed: [hour('2026-11-30T00')] }) });
  const sleeps: number[] = [];
  const outcome = await runBackfill(
    lambda as unknown as LambdaClient,
    'fn',
    parseHour('2026-11-30T00'),
    parseHour('2026-11-30T00'),
    {
      hoursPerInvocation: 24,
      print: () => undefined,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  );
  expect(outcome.ok).toBe(true);
  expect(sleeps).toEqual([5000]);
});
