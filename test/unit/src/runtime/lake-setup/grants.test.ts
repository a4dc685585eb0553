import { diffGrants, type Grant, parseGrants, stageGrants } from '../../../../../src/runtime/lake-setup/grants';

const ROLE = (name: string) => `arn:aws:iam::111111111111:role/${name}`;
const input = {
  database: 'metering_dev',
  rawTable: 'access_log_raw',
  compactedTable: 'access_log',
  stagingTable: 'access_log_staging',
  dataLocationArn: 'arn:aws:s3:::metering-dev-lake',
  compactionPrincipal: ROLE('compaction'),
  readerPrincipals: [ROLE('analyst'), ROLE('finance')],
  rawReaderPrincipals: [ROLE('smoke')],
};

/** `principal resource: PERMS` lines, for readable expectations. */
const lines = (grants: readonly Grant[]) =>
  grants.map((g) => {
    const r = g.resource;
    const on = r.kind === 'table' ? r.table : r.kind === 'database' ? `db:${r.database}` : `location:${r.arn}`;
    return `${g.principal.split('/').pop()} ${on}: ${g.permissions.join(',')}`;
  });

describe('stageGrants', () => {
  test('gives each principal exactly what it needs', () => {
    expect(lines(stageGrants(input)).sort()).toEqual(
      [
        'compaction db:metering_dev: DESCRIBE',
        'compaction access_log_raw: DESCRIBE,SELECT',
        'compaction access_log: DESCRIBE,SELECT',
        'compaction access_log_staging: DELETE,DESCRIBE,INSERT,SELECT',
        'compaction location:arn:aws:s3:::metering-dev-lake: DATA_LOCATION_ACCESS',
        'analyst db:metering_dev: DESCRIBE',
        'analyst access_log_raw: DESCRIBE,SELECT',
        'analyst access_log: DESCRIBE,SELECT',
        'finance db:metering_dev: DESCRIBE',
        'finance access_log_raw: DESCRIBE,SELECT',
        'finance access_log: DESCRIBE,SELECT',
        'smoke db:metering_dev: DESCRIBE',
        'smoke access_log_raw: DESCRIBE,SELECT',
      ].sort(),
    );
  });

  test('no data location grant when the bucket is not registered', () => {
    const grants = stageGrants({ ...input, dataLocationArn: undefined });
    expect(grants.some((g) => g.resource.kind === 'dataLocation')).toBe(false);
  });

  test('a principal listed twice gets one merged grant per resource', () => {
    const grants = stageGrants({
      ...input,
      readerPrincipals: [ROLE('analyst')],
      rawReaderPrincipals: [ROLE('analyst')],
    });
    expect(
      lines(grants)
        .filter((l) => l.startsWith('analyst '))
        .sort(),
    ).toEqual([
      'analyst access_log: DESCRIBE,SELECT',
      'analyst access_log_raw: DESCRIBE,SELECT',
      'analyst db:metering_dev: DESCRIBE',
    ]);
  });
});

describe('diffGrants', () => {
  test('revokes only what was removed and grants the whole new set', () => {
    const before = stageGrants(input);
    const after = stageGrants({ ...input, readerPrincipals: [ROLE('analyst')], rawReaderPrincipals: [] });
    const { revoke, grant } = diffGrants(before, after);
    expect(lines(revoke).sort()).toEqual(
      [
        'finance db:metering_dev: DESCRIBE',
        'finance access_log_raw: DESCRIBE,SELECT',
        'finance access_log: DESCRIBE,SELECT',
        'smoke db:metering_dev: DESCRIBE',
        'smoke access_log_raw: DESCRIBE,SELECT',
      ].sort(),
    );
    expect(lines(grant).sort()).toEqual(lines(after).sort());
  });

  test('a permission dropped from a held grant is revoked alone', () => {
    const t = { kind: 'table', database: 'd', table: 't' } as const;
    const { revoke } = diffGrants(
      [{ principal: ROLE('a'), resource: t, permissions: ['SELECT', 'INSERT', 'DESCRIBE'] }],
      [{ principal: ROLE('a'), resource: t, permissions: ['SELECT', 'DESCRIBE'] }],
    );
    expect(revoke).toEqual([{ principal: ROLE('a'), resource: t, permissions: ['INSERT'] }]);
  });

  test('nothing to revoke when nothing changed', () => {
    expect(diffGrants(stageGrants(input), stageGrants(input)).revoke).toEqual([]);
  });
});

describe('parseGrants', () => {
  test('round-trips the stage grants', () => {
    const grants = stageGrants(input);
    expect(parseGrants(JSON.parse(JSON.stringify(grants)))).toEqual(grants);
  });

  test.each([
    ['not an array', {}, /expected an array/],
    [
      'principal not an ARN',
      [{ principal: 'bob', resource: { kind: 'database', database: 'd' }, permissions: ['DESCRIBE'] }],
      /expected an ARN/,
    ],
    [
      'unknown permission',
      [{ principal: ROLE('a'), resource: { kind: 'database', database: 'd' }, permissions: ['ALL'] }],
      /unknown permission "ALL"/,
    ],
    [
      'unknown resource',
      [{ principal: ROLE('a'), resource: { kind: 'catalog' }, permissions: ['DESCRIBE'] }],
      /resource.kind/,
    ],
  ])('rejects %s', (_name, value, message) => {
    expect(() => parseGrants(value)).toThrow(message);
  });
});
