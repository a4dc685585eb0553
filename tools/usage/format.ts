import { addHours, formatHour, parseHour } from '../../src/lake/hours';
import { formatMonth } from './month';
import type { UsageReport } from './report';

export const FORMATS = ['table', 'csv', 'json'] as const;
export type Format = (typeof FORMATS)[number];

/** Runs of consecutive hours as `from..to`, so a backlog of 300 hours stays one readable line. */
export function hourRanges(hours: readonly string[]): string[] {
  const sorted = [...new Set(hours)].sort();
  const out: string[] = [];
  let start: string | undefined;
  let prev: string | undefined;
  const close = () => {
    if (start !== undefined && prev !== undefined) out.push(start === prev ? start : `${start}..${prev}`);
  };
  for (const h of sorted) {
    if (prev !== undefined && formatHour(addHours(parseHour(prev), 1)) === h) {
      prev = h;
      continue;
    }
    close();
    start = h;
    prev = h;
  }
  close();
  return out;
}

/** The footnote that explains `*`: which hours the provisional figures come from. */
export function provisionalNote(r: UsageReport): string | undefined {
  if (r.final) return undefined;
  const requests = r.tenants.reduce((n, t) => n + t.provisionalRequests, 0);
  const hours = r.provisionalHours.length
    ? `hours not compacted yet: ${hourRanges(r.provisionalHours).join(', ')}`
    : 'hours not compacted yet';
  return `* provisional: ${requests} request(s) counted from raw ${hours}; figures may still change once compacted`;
}

const int = (n: number) => n.toLocaleString('en-US');
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

export function formatTable(r: UsageReport, title: string): string {
  const header = ['tenant', 'username', 'requests', 'response bytes', 'errors', 'error share'];
  const rows = r.tenants.map((t) => [
    t.tenant,
    t.username ?? '-',
    `${int(t.requests)}${t.provisionalRequests > 0 ? '*' : ' '}`,
    int(t.responseBytes),
    int(t.errorRequests),
    percent(t.errorShare),
  ]);
  const total = r.tenants.reduce(
    (acc, t) => ({
      requests: acc.requests + t.requests,
      bytes: acc.bytes + t.responseBytes,
      errors: acc.errors + t.errorRequests,
      provisional: acc.provisional + t.provisionalRequests,
    }),
    { requests: 0, bytes: 0, errors: 0, provisional: 0 },
  );
  const totalRow = [
    `total (${r.tenants.length} tenant${r.tenants.length === 1 ? '' : 's'})`,
    '',
    `${int(total.requests)}${total.provisional > 0 ? '*' : ' '}`,
    int(total.bytes),
    int(total.errors),
    percent(total.requests ? total.errors / total.requests : 0),
  ];
  const all = [header, ...rows, totalRow];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [
    `${title}: ${r.final ? 'final' : 'PROVISIONAL'}`,
    '',
    line(header),
    rule,
    ...(rows.length ? rows.map(line) : ['(no authenticated requests in this month)']),
    rule,
    line(totalRow),
  ];
  const note = provisionalNote(r);
  if (note) out.push('', note);
  out.push(`Athena scanned ${(r.dataScannedInBytes / 1e6).toFixed(1)} MB`);
  return out.join('\n');
}

const CSV_HEADER = [
  'tenant',
  'username',
  'requests',
  'response_bytes',
  'error_requests',
  'error_share',
  'provisional_requests',
  'provisional',
];

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** RFC 4180 CSV, one row per tenant; `provisional` is true when the row counts uncompacted hours. */
export function formatCsv(r: UsageReport): string {
  const rows = r.tenants.map((t) =>
    [
      t.tenant,
      t.username ?? '',
      String(t.requests),
      String(t.responseBytes),
      String(t.errorRequests),
      String(t.errorShare),
      String(t.provisionalRequests),
      String(t.provisionalRequests > 0),
    ]
      .map(csvField)
      .join(','),
  );
  return `${[CSV_HEADER.join(','), ...rows].join('\r\n')}\r\n`;
}

export function formatJson(r: UsageReport): string {
  return JSON.stringify(
    {
      month: formatMonth(r.month),
      final: r.final,
      provisionalHours: r.provisionalHours,
      tenants: r.tenants,
      dataScannedInBytes: r.dataScannedInBytes,
    },
    null,
    2,
  );
}
