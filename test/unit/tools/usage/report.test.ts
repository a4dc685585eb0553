import { monthlyUsageByTenantSql, provisionalHoursSql } from '../../../../src/lake/sql/usage';
import { formatCsv, formatJson, formatTable, hourRanges } from '../../../../tools/usage/format';
import { usageReport } from '../../../../tools/usage/report';
import { fakeAthena } from '../lib/athena-fake';

const location = { database: 'metering_prod', bucket: 'metering-prod-lake' };
const month = { year: 2026, month: 11 };
const TENANT_A = '0f8fad5b-d9cb-469f-a165-70867728950e';
const TENANT_B = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

const usageRows = [
  {
    tenant: TENANT_A,
    username: 'alice@example.com',
    requests: '1200',
    response_bytes: '5000000',
    error_requests: '12',
    error_share: '0.01',
    provisional_requests: '40',
  },
  {
    tenant: TENANT_B,
    username: 'bob, "the builder"@example.com',
    requests: '300',
    response_bytes: '900',
    error_requests: '0',
    error_share: '0.0',
    provisional_requests: '0',
  },
];
const pendingHours = ['2026-11-30T22', '2026-11-30T23', '2026-12-01T00', '2026-11-03T05'].map((hour) => ({ hour }));

function athenaFor(usage = usageRows, hours = pendingHours) {
  const usageSql = monthlyUsageByTenantSql(location, month);
  const hoursSql = provisionalHoursSql(location, month);
  return fakeAthena((sql) => {
    if (sql === usageSql) return usage;
    if (sql === hoursSql) return hours;
    throw new Error(`unexpected statement:\n${sql}`);
  });
}

const instant = async () => undefined;

describe('usageReport', () => {
  test("runs the lake's monthly usage and provisional-hours queries in the workgroup", async () => {
    const athena = athenaFor();
    const report = await usageReport(athena.client, { workgroup: 'metering-prod', location, month, sleep: instant });
    expect(athena.started).toHaveLength(2);
    expect(athena.started.every((s) => s.WorkGroup === 'metering-prod')).toBe(true);
    expect(report.tenants[0]).toEqual({
      tenant: TENANT_A,
      username: 'alice@example.com',
      requests: 1200,
      responseBytes: 5_000_000,
      errorRequests: 12,
      errorShare: 0.01,
      provisionalRequests: 40,
    });
    expect(report.final).toBe(false);
    expect(report.dataScannedInBytes).toBe(2 * 10_485_760);
  });

  test('is final when no hour is pending and no tenant has provisional requests', async () => {
    const rows = usageRows.map((r) => ({ ...r, provisional_requests: '0' }));
    const report = await usageReport(athenaFor(rows, []).client, { workgroup: 'w', location, month, sleep: instant });
    expect(report.final).toBe(true);
    expect(formatTable(report, 'Usage')).not.toContain('*');
  });

  test('a value that is not a count fails loudly instead of printing a wrong bill', async () => {
    const rows = [{ ...usageRows[0], requests: null }];
    await expect(
      usageReport(athenaFor(rows as never).client, { workgroup: 'w', location, month, sleep: instant }),
    ).rejects.toThrow(/usage query returned no requests/);
  });
});

describe('report formats', () => {
  let report: Awaited<ReturnType<typeof usageReport>>;
  beforeAll(async () => {
    report = await usageReport(athenaFor().client, { workgroup: 'w', location, month, sleep: instant });
  });

  test('the table marks provisional figures with * and lists the hours not yet compacted', () => {
    const table = formatTable(report, 'Usage 2026-11 in prod');
    expect(table.split('\n')[0]).toBe('Usage 2026-11 in prod: PROVISIONAL');
    const alice = table.split('\n').find((l) => l.startsWith(TENANT_A)) as string;
    expect(alice.split(/\s{2,}/)).toEqual([TENANT_A, 'alice@example.com', '1,200*', '5,000,000', '12', '1.0 %']);
    const bob = table.split('\n').find((l) => l.startsWith(TENANT_B)) as string;
    expect(bob).toContain(' 300 ');
    expect(bob).not.toContain('*');
    expect(table).toContain(
      '* provisional: 40 request(s) counted from raw hours not compacted yet: 2026-11-03T05, 2026-11-30T22..2026-12-01T00',
    );
    expect(table.split('\n').find((l) => l.startsWith('total'))).toMatch(
      /^total \(2 tenants\)\s+1,500\*\s+5,000,900\s+12\s+0\.8 %$/,
    );
  });

  test('CSV has a provisional flag per row and quotes fields that need it', () => {
    const lines = formatCsv(report).split('\r\n');
    expect(lines[0]).toBe(
      'tenant,username,requests,response_bytes,error_requests,error_share,provisional_requests,provisional',
    );
    expect(lines[1]).toBe(`${TENANT_A},alice@example.com,1200,5000000,12,0.01,40,true`);
    expect(lines[2]).toBe(`${TENANT_B},"bob, ""the builder""@example.com",300,900,0,0,0,false`);
  });

  test('JSON carries the finality and the provisional hours', () => {
    const json = JSON.parse(formatJson(report));
    expect(json).toMatchObject({
      month: '2026-11',
      final: false,
      tenants: [{ tenant: TENANT_A }, { tenant: TENANT_B }],
    });
    expect(json.provisionalHours).toHaveLength(4);
  });

  test('hour ranges collapse consecutive hours, across days and months', () => {
    expect(hourRanges(['2026-11-30T23', '2026-12-01T00', '2026-12-01T01', '2026-12-01T05'])).toEqual([
      '2026-11-30T23..2026-12-01T01',
      '2026-12-01T05',
    ]);
    expect(hourRanges([])).toEqual([]);
  });
});
