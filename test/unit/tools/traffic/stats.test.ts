import { formatReport, latencySummary, percentile, summarize } from '../../../../tools/traffic/stats';

describe('latency percentiles', () => {
  test('use the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 90)).toBe(90);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(latencySummary([5, 1, 3])).toEqual({ count: 3, p50: 3, p90: 5, p99: 5, max: 5 });
  });
});

describe('the traffic report', () => {
  const report = summarize([
    { status: 200, latencyMs: 10, expectedStatus: 200 },
    { status: 200, latencyMs: 30, expectedStatus: 200 },
    { status: 400, latencyMs: 5, expectedStatus: 400 },
    { status: 200, latencyMs: 8, expectedStatus: 400 },
    { status: 502, latencyMs: 100, expectedStatus: 200 },
    { status: 'error', latencyMs: 10_000, expectedStatus: 200 },
  ]);

  test('counts 5xx, network errors and answers that break the contract', () => {
    expect(report).toMatchObject({ serverErrors: 1, networkErrors: 1, unexpected: 3 });
    expect(report.byStatus.map((s) => [s.status, s.latency.count])).toEqual([
      ['200', 3],
      ['400', 1],
      ['502', 1],
      ['error', 1],
    ]);
  });

  test('prints a row per status and a total with p50/p90/p99/max', () => {
    const lines = formatReport(report).split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['status', 'count', 'p50', 'ms', 'p90', 'ms', 'p99', 'ms', 'max', 'ms']);
    expect(lines.find((l) => l.startsWith('200'))?.split(/\s+/)).toEqual(['200', '3', '10', '30', '30', '30']);
    expect(lines.find((l) => l.startsWith('total'))?.split(/\s+/)).toEqual([
      'total',
      '6',
      '10',
      '10000',
      '10000',
      '10000',
    ]);
    expect(lines[lines.length - 1]).toBe(
      "3 request(s) got a status other than the contract's; 1 got a 5xx; 1 got no response",
    );
  });
});
