/** The outcome of one request: an HTTP status, or `error` when no response came back. */
export interface Outcome {
  readonly status: number | 'error';
  readonly latencyMs: number;
  readonly expectedStatus: number;
}

/** Nearest-rank percentile of sorted values (p in 0-100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export function latencySummary(latencies: readonly number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
  };
}

export interface TrafficReport {
  /** Per status (or `error`), ordered by status. */
  readonly byStatus: readonly { status: string; latency: LatencySummary }[];
  readonly overall: LatencySummary;
  /** Requests that got something other than what the contract promises (e.g. 200 for len=0). */
  readonly unexpected: number;
  readonly serverErrors: number;
  readonly networkErrors: number;
}

export function summarize(outcomes: readonly Outcome[]): TrafficReport {
  const groups = new Map<string, number[]>();
  for (const o of outcomes) groups.set(String(o.status), [...(groups.get(String(o.status)) ?? []), o.latencyMs]);
  const byStatus = [...groups.entries()]
    .sort(([a], [b]) => (a === 'error' ? 1 : b === 'error' ? -1 : Number(a) - Number(b)))
    .map(([status, latencies]) => ({ status, latency: latencySummary(latencies) }));
  return {
    byStatus,
    overall: latencySummary(outcomes.map((o) => o.latencyMs)),
    unexpected: outcomes.filter((o) => o.status !== o.expectedStatus).length,
    serverErrors: outcomes.filter((o) => typeof o.status === 'number' && o.status >= 500).length,
    networkErrors: outcomes.filter((o) => o.status === 'error').length,
  };
}

/** The report as a fixed-width table: one row per status and a total row. */
export function formatReport(r: TrafficReport): string {
  const ms = (n: number) => (Number.isNaN(n) ? '-' : `${Math.round(n)}`);
  const header = ['status', 'count', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'];
  const rows = [...r.byStatus, { status: 'total', latency: r.overall }].map(({ status, latency }) => [
    status,
    String(latency.count),
    ms(latency.p50),
    ms(latency.p90),
    ms(latency.p99),
    ms(latency.max),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(0, -1).map(line)];
  out.push(widths.map((w) => '-'.repeat(w)).join('  '), line(rows[rows.length - 1]));
  out.push(
    `${r.unexpected} request(s) got a status other than the contract's; ${r.serverErrors} got a 5xx; ${r.networkErrors} got no response`,
  );
  return out.join('\n');
}
